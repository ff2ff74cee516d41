namespace Kinder.Api.Events;

/// <summary>
/// Discovery's "people you talk to are going" term. Chat arrives with a later issue; until then
/// <see cref="NoConversationsYet"/> answers 0 for every event, and chat replaces the registration.
/// </summary>
public interface IDiscoveryConnections
{
    /// <summary>Per event, how many people <paramref name="userId"/> shares a conversation with are going (missing = 0).</summary>
    Task<IReadOnlyDictionary<Guid, int>> CountGoingAsync(Guid userId, IReadOnlyCollection<Guid> eventIds,
        CancellationToken cancellationToken);
}

public sealed class NoConversationsYet : IDiscoveryConnections
{
    public Task<IReadOnlyDictionary<Guid, int>> CountGoingAsync(Guid userId, IReadOnlyCollection<Guid> eventIds,
        CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<Guid, int>>(new Dictionary<Guid, int>());
}

/// <summary>
/// The hook for blocking (issue 5, chat): organizers <paramref name="userId"/> blocked, or who blocked them, whose events
/// discovery leaves out in SQL. <see cref="NoBlocksYet"/> until blocking exists.
/// </summary>
public interface IBlockedOrganizers
{
    Task<IReadOnlyCollection<Guid>> BlockedOrganizerIdsAsync(Guid userId, CancellationToken cancellationToken);
}

public sealed class NoBlocksYet : IBlockedOrganizers
{
    public Task<IReadOnlyCollection<Guid>> BlockedOrganizerIdsAsync(Guid userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyCollection<Guid>>([]);
}
