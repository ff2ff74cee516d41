namespace Kinder.Core.Uploads;

/// <summary>
/// A file a client puts straight into object storage through a presigned URL (<c>POST /uploads/sign-url</c>), then
/// confirms (<c>POST /uploads/complete</c>): only then are its real size, type and SHA-256 known and checked.
/// Images are then given display sizes by Workers (<see cref="UploadKeys.DisplayKey"/>).
/// </summary>
public sealed class Upload
{
    public const int MaxContentTypeLength = 100;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid OwnerId { get; init; }
    public UploadPurpose Purpose { get; init; }
    public required string Key { get; init; }
    public required string ContentType { get; init; }
    public long DeclaredSize { get; init; }
    public long? ActualSize { get; set; }

    /// <summary>Lower-case hex SHA-256 of the stored object, once complete.</summary>
    public string? Sha256 { get; set; }

    public UploadStatus Status { get; set; } = UploadStatus.Pending;
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }

    public bool IsImage => ContentType.StartsWith("image/", StringComparison.Ordinal);
}

public enum UploadPurpose
{
    EventImage,
    ChatAttachment,
}

public enum UploadStatus
{
    Pending,
    Complete,
    Processed,
}
