using Kinder.Core.Chat;
using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Kinder.Realtime.Chat;

/// <summary>
/// Who is in a conversation, whom a user blocked (or is blocked by), whom a user shares conversations with, and what a
/// send's write check needs — asked on every send, typing refresh and presence change, so cached briefly in memory. A
/// <see cref="ConversationMembersChanged"/> drops the affected entries and an event's change every conversation's
/// write facts (every instance reads both); the lifetime is the backstop.
/// </summary>
public sealed class ChatAudience(
    IMemoryCache cache,
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<RealtimeOptions> options) : IConversationWriteAccess
{
    private readonly TimeSpan lifetime = options.Value.AccessCacheLifetime;

    // Bumped by every invalidation: a lookup that raced one is answered but not cached.
    private long generation;

    // Bumped by every event change: write facts cached before it are stale (their read-only time may have moved).
    private long factsGeneration;

    /// <summary>What a write check needs to know about a conversation (<see cref="ConversationAccess.CheckWriteAsync"/>).</summary>
    private sealed record WriteFacts(Conversation Conversation, IReadOnlyList<Guid> DirectMemberIds, long Generation);

    /// <summary>
    /// The send's write check from the cache: a member gets <see cref="ConversationAccess"/>'s answer without a database
    /// round trip. A refusal is confirmed by the database first, so a member an invalidation has not reached yet (just
    /// added) is never turned away; Workers checks membership again when it stores the message.
    /// </summary>
    public async Task<WriteAccess> CheckWriteAsync(Guid conversationId, Guid userId, CancellationToken cancellationToken)
    {
        var access = await CachedWriteAccessAsync(conversationId, userId, cancellationToken);
        if (access == WriteAccess.Allowed)
            return access;
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConversationAccess>()
            .CheckWriteAsync(conversationId, userId, cancellationToken);
    }

    private async Task<WriteAccess> CachedWriteAccessAsync(Guid conversationId, Guid userId, CancellationToken cancellationToken)
    {
        if (!await IsMemberAsync(conversationId, userId, cancellationToken))
            return WriteAccess.NotFound;
        var facts = await WriteFactsAsync(conversationId, cancellationToken);
        if (facts is null)
            return WriteAccess.NotFound;
        var counterpart = ConversationAccess.CounterpartOf(facts.Conversation, userId,
            facts.DirectMemberIds.Where(id => id != userId).Select(id => (Guid?)id).FirstOrDefault());
        return ConversationAccess.WriteAccessOf(facts.Conversation.IsReadOnlyAt(time.GetUtcNow()),
            counterpart is { } other && (await BlockedEitherWayAsync(userId, cancellationToken)).Contains(other));
    }

    private async Task<WriteFacts?> WriteFactsAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        var key = ("facts", conversationId);
        var current = Interlocked.Read(ref factsGeneration);
        if (cache.TryGetValue(key, out WriteFacts? cached) && cached is not null && cached.Generation == current)
            return cached;
        var before = Interlocked.Read(ref generation);
        WriteFacts? facts;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KinderDbContext>();
            var conversation = await db.Conversations.AsNoTracking()
                .SingleOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
            if (conversation is null)
                return null;
            IReadOnlyList<Guid> directMembers = conversation.Type == ConversationType.Direct
                ? await db.ConversationMembers.Where(m => m.ConversationId == conversationId).Select(m => m.UserId)
                    .ToListAsync(cancellationToken)
                : [];
            facts = new WriteFacts(conversation, directMembers, current);
        }
        if (Interlocked.Read(ref generation) == before)
            cache.Set(key, facts, lifetime);
        return facts;
    }

    /// <summary>An event changed (time, place, cancellation): its discussion's read-only time may have moved.</summary>
    public void ForgetWriteFacts() => Interlocked.Increment(ref factsGeneration);

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
        cache.Remove(("facts", conversationId));
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
