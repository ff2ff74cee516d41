using Kinder.Messaging;

namespace Kinder.Core.Friends;

// Friend requests on Topics.Social, keyed by the user to tell. They are the notifications issue's hook: Workers has no
// consumer for them yet; a notifications consumer subscribes to Topics.Social and turns them into friend_request and
// friend_accepted notifications (docs/api/README.md, Friends).

/// <summary><c>RequesterId</c> asked <c>AddresseeId</c> to be friends (key: the addressee).</summary>
public sealed record FriendRequestedIntegrationEvent(Guid RequestId, Guid RequesterId, Guid AddresseeId,
    DateTimeOffset RequestedAt) : IRecord
{
    public static string RecordType => "FriendRequested";
}

/// <summary><c>AddresseeId</c> accepted <c>RequesterId</c>'s request; the two are friends (key: the requester).</summary>
public sealed record FriendRequestAcceptedIntegrationEvent(Guid RequestId, Guid RequesterId, Guid AddresseeId,
    DateTimeOffset AcceptedAt) : IRecord
{
    public static string RecordType => "FriendRequestAccepted";
}
