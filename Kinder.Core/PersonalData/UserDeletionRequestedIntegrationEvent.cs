using Kinder.Messaging;

namespace Kinder.Core.PersonalData;

/// <summary>
/// A user asked for their account to be deleted (<c>DELETE /users/me</c>): their tokens are already refused and the
/// account marked deleted; Workers erase the rest. Topic <see cref="Messaging.Topics.Users"/>, key = user id.
/// </summary>
public sealed record UserDeletionRequestedIntegrationEvent(Guid UserId, DateTimeOffset RequestedAt) : IRecord
{
    public static string RecordType => "UserDeletionRequested";
}
