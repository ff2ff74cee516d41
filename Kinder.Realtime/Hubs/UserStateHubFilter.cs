using System.Collections.Concurrent;
using System.Security.Claims;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace Kinder.Realtime.Hubs;

/// <summary>
/// The connections this instance holds, with their user and their token's issue time, so a per-user cut-off can close
/// the ones it covers (<see cref="CutOffListener"/>).
/// </summary>
public sealed class AuthenticatedConnections
{
    private readonly ConcurrentDictionary<string, (Guid UserId, long IssuedAt, HubCallerContext Context)> connections =
        new(StringComparer.Ordinal);

    public void Add(HubCallerContext context, Guid userId, long issuedAtMilliseconds) =>
        connections[context.ConnectionId] = (userId, issuedAtMilliseconds, context);

    public void Remove(string connectionId) => connections.TryRemove(connectionId, out _);

    /// <summary>Closes the user's connections whose token was issued at or before the cut-off; returns how many.</summary>
    public int CloseIssuedUpTo(Guid userId, long cutoffMilliseconds)
    {
        var closed = 0;
        foreach (var (_, connection) in connections)
        {
            if (connection.UserId == userId && connection.IssuedAt <= cutoffMilliseconds)
            {
                connection.Context.Abort();
                closed++;
            }
        }
        return closed;
    }
}

/// <summary>
/// Keeps hub connections to the user's current state: every invocation sees the current verification and roles
/// (the same <see cref="UserSecurityState"/> the bearer handler applies per request), and a connection whose token
/// a per-user cut-off covers is closed.
/// </summary>
public sealed class UserStateHubFilter(AuthenticatedConnections connections, AccessTokenBlacklist blacklist,
    UserStateLocalCache cache) : IHubFilter
{
    // The facts last applied to a connection's principal: the same ones again need no claims rewritten.
    private static readonly object AppliedFacts = new();

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext,
        Func<HubInvocationContext, ValueTask<object?>> next)
    {
        // Invocations of one connection run one at a time, so rewriting its principal's claims races nothing.
        var context = invocationContext.Context;
        var principal = context.User!;
        var userId = principal.GetUserId();
        UserSecurityState.Facts? facts;
        // Only facts in good standing come from memory: a user waiting on a verification (or a reinstatement) is
        // read from Redis each time, so the change counts on the very next call, announcement or not.
        if (cache.TryGet(userId, out var known) && known.EmailVerified && !known.IsSuspendedAt(DateTimeOffset.UtcNow))
        {
            facts = known;
            if (!(context.Items.TryGetValue(AppliedFacts, out var applied) && ReferenceEquals(applied, facts))
                && principal.Identity is ClaimsIdentity identity)
                UserSecurityState.Apply(identity, facts);
        }
        else
        {
            var generation = cache.Generation;
            facts = await invocationContext.ServiceProvider.GetRequiredService<UserSecurityState>()
                .ApplyToAsync(principal, context.ConnectionAborted);
            if (facts is not null)
                cache.Set(userId, facts, generation);
        }
        context.Items[AppliedFacts] = facts;
        // A suspension closes the connection through the cut-off it sets; this catches an invocation racing it.
        if (facts is not null && facts.IsSuspendedAt(DateTimeOffset.UtcNow))
        {
            context.Abort();
            throw new HubException(Kinder.Core.ErrorCodes.AccountSuspended);
        }
        return await next(invocationContext);
    }

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await next(context);
        var user = context.Context.User!;
        var userId = user.GetUserId();
        var issuedAt = AccessTokenBlacklist.IssuedAtMillisecondsOf(user);
        connections.Add(context.Context, userId, issuedAt);
        // A cut-off set after the token was checked but before the line above reached no one: look once more.
        if (await blacklist.IsCutOffAsync(userId, issuedAt))
        {
            context.Context.Abort();
        }
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception,
        Func<HubLifetimeContext, Exception?, Task> next)
    {
        connections.Remove(context.Context.ConnectionId);
        await next(context, exception);
    }
}

/// <summary>Closes the local connections a per-user cut-off covers, whichever instance of which host set it.</summary>
public sealed class CutOffListener(IConnectionMultiplexer redis, AuthenticatedConnections connections,
    ILogger<CutOffListener> logger) : IHostedService
{
    private ChannelMessageQueue? queue;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        queue = await redis.GetSubscriber().SubscribeAsync(AccessTokenBlacklist.CutOffChannel);
        queue.OnMessage(message =>
        {
            var text = message.Message.ToString();
            var separator = text.IndexOf(':', StringComparison.Ordinal);
            if (separator > 0 && Guid.TryParse(text.AsSpan(0, separator), out var userId) &&
                long.TryParse(text.AsSpan(separator + 1), out var cutoff))
            {
                var closed = connections.CloseIssuedUpTo(userId, cutoff);
                if (closed > 0)
                {
                    logger.LogInformation("Closed {Count} connection(s) of user {UserId} after a cut-off", closed, userId);
                }
            }
        });
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (queue is not null)
            await queue.UnsubscribeAsync();
    }
}
