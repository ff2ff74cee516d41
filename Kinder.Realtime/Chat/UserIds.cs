namespace Kinder.Realtime.Chat;

/// <summary>User ids as SignalR names users (<see cref="Hubs.KinderUserIdProvider"/>).</summary>
public static class UserIds
{
    public static IReadOnlyList<string> ToStrings(IEnumerable<Guid> userIds) => [.. userIds.Select(id => id.ToString())];
}
