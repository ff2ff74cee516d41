using System.Text.Json.Serialization;
using Kinder.Core.Uploads;

namespace Kinder.Api.Uploads;

/// <param name="Purpose">event_image or chat_attachment: sets the size limit and the types accepted.</param>
/// <param name="ContentType">What the client will PUT, e.g. image/jpeg; checked again by content at complete.</param>
/// <param name="SizeBytes">The exact size the client will PUT; a larger object is refused at complete.</param>
public sealed record SignUploadRequest(
    UploadPurpose? Purpose,
    string? ContentType,
    long? SizeBytes);

/// <param name="UploadId">From sign-url.</param>
public sealed record CompleteUploadRequest(Guid? UploadId);

/// <param name="Url">PUT the file here, with <paramref name="Headers"/> (Content-Type and Content-Length, both signed), before <paramref name="ExpiresAt"/>.</param>
/// <param name="Key">The storage key, e.g. for an event's imageKeys once complete.</param>
public sealed record SignUploadResponse(Guid UploadId, string Url, IReadOnlyDictionary<string, string> Headers, string Key,
    DateTimeOffset ExpiresAt);

/// <param name="Url">A short-lived signed URL of the stored file; for images its large display size (the original is never served).</param>
/// <param name="DisplayUrls">Short-lived signed URLs of the metadata-free WebP renditions by width, for images; they appear once processed.</param>
/// <param name="Duplicate">True when this was the same content as an earlier upload, whose object is reused.</param>
public sealed record UploadResponse(
    Guid UploadId,
    string Key,
    string Url,
    UploadPurpose Purpose,
    string ContentType,
    long SizeBytes,
    string Sha256,
    UploadStatus Status,
    [property: JsonPropertyName("displayUrls")] IReadOnlyDictionary<string, string>? DisplayUrls,
    bool Duplicate);
