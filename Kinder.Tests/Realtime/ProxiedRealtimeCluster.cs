using Kinder.Core.Identity;
using Kinder.Realtime.Hubs;
using Kinder.Realtime.Presence;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Realtime;

/// <summary>
/// Realtime as the AppHost runs it: two instances on real loopback ports (one deployment: database, Redis prefix,
/// consumer group) behind a round-robin TCP forwarder, Aspire's proxy. The negotiate redirect is on or off.
/// </summary>
public abstract class ProxiedRealtimeCluster(bool redirectNegotiateToInstance) : IAsyncLifetime
{
    private readonly Dictionary<string, string?> settings = new()
    {
        ["Realtime:RedirectNegotiateToInstance"] = redirectNegotiateToInstance ? "true" : "false",
    };

    public RealtimeFactory First { get; private set; } = null!;
    public RealtimeFactory Second { get; private set; } = null!;

    /// <summary>Each instance's own address, as the forwarder reaches it.</summary>
    public IReadOnlyList<Uri> InstanceUrls { get; private set; } = [];

    public RoundRobinTcpForwarder Proxy { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        First = RealtimeFactory.WithSettings(settings);
        await First.InitializeAsync();
        Second = RealtimeFactory.AnotherInstanceOf(First, settings);
        await Second.InitializeAsync();
        InstanceUrls = [First.StartOnLoopback(), Second.StartOnLoopback()];
        Proxy = new RoundRobinTcpForwarder(InstanceUrls);
    }

    /// <summary>
    /// A hub connection through the forwarder with the client's default negotiation (negotiate, then connect),
    /// not started. <paramref name="transports"/> narrows the transports the client may pick.
    /// </summary>
    public HubConnection ConnectionThroughProxy(User user, HttpTransportType? transports = null)
    {
        var token = TestTokens.For(user).Token;
        return new HubConnectionBuilder()
            .WithUrl(new Uri(Proxy.Url, ChatHub.Path), options =>
            {
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                if (transports is { } only)
                    options.Transports = only;
            })
            .Build();
    }

    /// <summary>The users with a connection open on the instance.</summary>
    public static IReadOnlySet<Guid> UsersConnectedTo(RealtimeFactory instance) =>
        instance.Services.GetRequiredService<LocalConnections>().Snapshot().Select(entry => entry.Value).ToHashSet();

    public async Task DisposeAsync()
    {
        // Null when a start failed part way.
        if (Proxy is not null)
            await Proxy.DisposeAsync();
        if (Second is not null)
            await Second.DisposeAsync();
        if (First is not null)
            await First.DisposeAsync();
    }
}

public sealed class RedirectingRealtimeCluster() : ProxiedRealtimeCluster(redirectNegotiateToInstance: true);

public sealed class NonRedirectingRealtimeCluster() : ProxiedRealtimeCluster(redirectNegotiateToInstance: false);
