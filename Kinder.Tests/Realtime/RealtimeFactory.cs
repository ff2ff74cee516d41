using System.Net;
using Kinder.Core.Identity;
using Kinder.Realtime;
using Kinder.Realtime.Hubs;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Realtime;

/// <summary>
/// Realtime in process (TestServer) against a database of its own, the run's Redis and Kafka mock broker, with a
/// Redis prefix and consumer group of its own so other test hosts neither see its users nor split its records.
/// A second instance made with <see cref="AnotherInstanceOf"/>
/// shares the first one's database, Redis prefix (backplane, presence, typing) and consumer group: a scale-out.
/// Presence runs fast here (heartbeat 0.5 s, connections expire 2 s after the last one); typing keeps its real 5 s.
/// </summary>
public class RealtimeFactory : WebApplicationFactory<RealtimeAssembly>, IAsyncLifetime
{
    private readonly RealtimeFactory? primary;
    private readonly IReadOnlyDictionary<string, string?> settings;

    public RealtimeFactory()
    {
        settings = new Dictionary<string, string?>();
    }

    // xUnit builds class fixtures through their one public constructor, so the others are private.
    private RealtimeFactory(RealtimeFactory? primary, IReadOnlyDictionary<string, string?> settings)
    {
        this.primary = primary;
        this.settings = settings;
    }

    /// <summary>A first instance with settings of its own on top of the test ones.</summary>
    public static RealtimeFactory WithSettings(IReadOnlyDictionary<string, string?> settings) => new(null, settings);

    /// <summary>Another instance of the same deployment: same database, Redis prefix and consumer group.</summary>
    public static RealtimeFactory AnotherInstanceOf(RealtimeFactory primary, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(primary, settings ?? new Dictionary<string, string?>());

    public string DatabaseConnectionString { get; private set; } = "";
    public string RedisPrefix { get; } = $"test-{Guid.NewGuid():N}";
    public string ConsumerGroup { get; } = $"realtime-{Guid.NewGuid():N}";

    public virtual async Task InitializeAsync() =>
        DatabaseConnectionString = primary?.DatabaseConnectionString ?? await TestDatabases.CreateAsync("realtime");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseTestServers(DatabaseConnectionString);
        builder.UseSetting("Realtime:RedisPrefix", primary?.RedisPrefix ?? RedisPrefix);
        builder.UseSetting("Realtime:ConsumerGroup", primary?.ConsumerGroup ?? ConsumerGroup);
        builder.UseSetting("Realtime:Presence:HeartbeatInterval", "00:00:00.500");
        builder.UseSetting("Realtime:Presence:ConnectionLifetime", "00:00:02");
        builder.UseSetting("Realtime:Presence:SweepInterval", "00:00:00.200");
        // Instances join and leave one group here; the mock coordinator would hold each join for 44 s by default.
        builder.UseSetting("Aspire:Confluent:Kafka:Consumer:Config:SessionTimeoutMs", "3000");
        builder.UseSetting("Aspire:Confluent:Kafka:Consumer:Config:HeartbeatIntervalMs", "500");
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
    }

    /// <summary>
    /// Starts the instance on a real loopback port (Kestrel) instead of the in-memory TestServer, for what depends
    /// on real sockets and ports; returns its address. Call it instead of touching <c>Server</c>.
    /// </summary>
    public Uri StartOnLoopback()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        return new Uri(addresses.Addresses.Single());
    }

    /// <summary>A started hub connection for the user, over WebSockets on the TestServer.</summary>
    public async Task<HubConnection> ConnectAsync(User user)
    {
        var connection = CreateConnection(TestTokens.For(user).Token);
        await connection.StartAsync();
        return connection;
    }

    public HubConnection CreateConnection(string accessToken)
    {
        var server = Server;
        return new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, ChatHub.Path), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.AccessTokenProvider = () => Task.FromResult<string?>(accessToken);
                options.HttpMessageHandlerFactory = _ => server.CreateHandler();
                // Browsers cannot set headers on a WebSocket, so SignalR clients put the token in the query.
                options.WebSocketFactory = async (context, cancellationToken) =>
                {
                    var uri = new UriBuilder(context.Uri)
                    {
                        Query = $"{context.Uri.Query.TrimStart('?')}&access_token={Uri.EscapeDataString(accessToken)}",
                    }.Uri;
                    return await server.CreateWebSocketClient().ConnectAsync(uri, cancellationToken);
                };
            })
            .Build();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (primary is null)
            await TestDatabases.DropAsync(DatabaseConnectionString);
    }
}
