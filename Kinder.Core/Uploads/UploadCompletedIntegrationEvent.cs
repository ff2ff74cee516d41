using Kinder.Messaging;

namespace Kinder.Core.Uploads;

/// <summary>An image upload passed its checks (<see cref="Messaging.Topics.Media"/>): Workers make its display sizes.</summary>
public sealed record UploadCompletedIntegrationEvent(Guid UploadId, Guid OwnerId, string Key, string ContentType) : IRecord
{
    public static string RecordType => "UploadCompleted";
}
