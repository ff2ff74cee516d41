using Kinder.Core.Friends;

namespace Kinder.Api.Friends;

/// <summary>Someone as everyone may see them: search results, friends going to an event, a request's two people.</summary>
public sealed record PersonResponse(Guid Id, string DisplayName, string? AvatarUrl);

public sealed record PersonPage(IReadOnlyList<PersonResponse> Items, string? NextCursor);

/// <summary>A friend and since when.</summary>
public sealed record FriendResponse(Guid Id, string DisplayName, string? AvatarUrl, DateTimeOffset Since);

public sealed record FriendPage(IReadOnlyList<FriendResponse> Items, string? NextCursor);

public sealed record FriendRequestResponse(Guid Id, PersonResponse From, PersonResponse To, FriendRequestStatus Status,
    DateTimeOffset CreatedAt, DateTimeOffset? RespondedAt);

public sealed record FriendRequestPage(IReadOnlyList<FriendRequestResponse> Items, string? NextCursor);
