using Kinder.Core.Chat;
using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Kinder.Realtime.Chat;

/// <summary>
/// Who is in a conversation, whom a user blocked (or is blocked by), and whom a user shares conversations with —
/// asked on every typing refresh and presence change, so cached briefly in memory. A
/// <see cref="ConversationMembersChanged"/> drops the affected entries (every instance reads it); the lifetime is the
/// backstop.
/// </summary>
public sealed class ChatAudience(
    IMemoryCache cache,
    IServiceScopeFactory scopes,
    IOptions<RealtimeOptions> options)
{
    private readonly TimeSpan lifetime = options.Value.AccessCacheLifetime;

    // Bumped by every invalidation: a lookup that raced one is answered but not cached.
    private long generation;

    /// <summary>The conversation's active members.</summary>
    public Task<IReadOnlySet<Guid>> MembersAsync(Guid conversationId, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlySet<Guid>>(("members", conversationId), async services =>
            (await services.GetRequiredService<ConversationAccess>().ActiveMemberIdsAsync(conversationId, cancellationToken))
                .ToHashSet(), cancellationToken);

    /// <summary>Everyone the user blocked or was blocked by.</summary>
    public Task<IReadOnlySet<Guid>> BlockedEitherWayAsync(Guid userId, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlySet<Guid>>(("blocks", userId), async services =>
            (await services.GetRequiredService<KinderDbContext>().Set<UserBlock>()
                .Where(b => b.BlockerId == userId || b.BlockedId == userId)
                .Select(b => b.BlockerId == userId ? b.BlockedId : b.BlockerId)
                .ToListAsync(cancellationToken)).ToHashSet(), cancellationToken);

    /// <summary>Who sees the user's presence (<see cref="ConversationAccess.ContactIdsAsync"/>).</summary>
    public Task<IReadOnlyList<Guid>> ContactsAsync(Guid userId, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<Guid>>(("contacts", userId), async services =>
            await services.GetRequiredService<ConversationAccess>().ContactIdsAsync(userId, cancellationToken), cancellationToken);

    /// <summary>Whether the user is an active member of the conversation.</summary>
    public async Task<bool> IsMemberAsync(Guid conversationId, Guid userId, CancellationToken cancellationToken) =>
        (await MembersAsync(conversationId, cancellationToken)).Contains(userId);

    /// <summary>Who sees the user typing in the conversation: the other members, neither having blocked the other.</summary>
    public async Task<IReadOnlyList<Guid>> TypingAudienceAsync(Guid conversationId, Guid userId, CancellationToken cancellationToken)
    {
        var members = await MembersAsync(conversationId, cancellationToken);
        var blocked = await BlockedEitherWayAsync(userId, cancellationToken);
        return [.. members.Where(member => member != userId && !blocked.Contains(member))];
    }

    /// <summary>Drops what this instance cached about the conversation and the users concerned (every instance reads the change).</summary>
    public void Forget(ConversationMembersChanged change) =>
        Forget(change.ConversationId, change.MemberIds.Concat(change.AffectedUserIds));

    private void Forget(Guid conversationId, IEnumerable<Guid> userIds)
    {
        Interlocked.Increment(ref generation);
        cache.Remove(("members", conversationId));
        foreach (var userId in userIds)
        {
            cache.Remove(("blocks", userId));
            cache.Remove(("contacts", userId));
        }
    }

    private async Task<T> GetAsync<T>((string Kind, Guid Id) key, Func<IServiceProvider, Task<T>> load, CancellationToken cancellationToken)
        where T : class
    {
        if (cache.TryGetValue(key, out T? cached) && cached is not null)
            return cached;
        var before = Interlocked.Read(ref generation);
        T value;
        await using (var scope = scopes.CreateAsyncScope())
        {
            cancellationToken.ThrowIfCancellationRequested();
            value = await load(scope.ServiceProvider);
        }
        if (Interlocked.Read(ref generation) == before)
            cache.Set(key, value, lifetime);
        return value;
    }
}
