namespace Kinder.Core.Uploads;

/// <summary>
/// Where uploads live: <c>uploads/{ownerId}/{purpose}/{guid}.{ext}</c>, their display sizes next to them as
/// <c>…/{guid}-1280.webp</c> and <c>…/{guid}-400.webp</c>. The client never writes there: its signed PUT goes to
/// <see cref="IncomingKey"/>, and complete writes the bytes it checked to the key itself, so what was checked is what
/// is served, whatever is PUT afterwards.
/// </summary>
public static class UploadKeys
{
    public const int LargeWidth = 1280;
    public const int SmallWidth = 400;
    public static readonly IReadOnlyList<int> DisplayWidths = [LargeWidth, SmallWidth];

    private const string Incoming = "incoming/";

    public static string PrefixOf(Guid ownerId) => $"uploads/{ownerId}/";

    /// <summary>Where the client's signed PUT lands, read only by complete (and the sweeper).</summary>
    public static string IncomingKey(string key) => Incoming + key;

    public static string IncomingPrefixOf(Guid ownerId) => Incoming + PrefixOf(ownerId);

    public static string New(Guid ownerId, UploadPurpose purpose, string contentType) =>
        $"{PrefixOf(ownerId)}{Segment(purpose)}/{Guid.NewGuid():N}{Extension(contentType)}";

    /// <summary>The metadata-free WebP rendition of an image upload at <paramref name="width"/>.</summary>
    public static string DisplayKey(string key, int width)
    {
        var dot = key.LastIndexOf('.');
        var stem = dot > key.LastIndexOf('/') ? key[..dot] : key;
        return $"{stem}-{width}.webp";
    }

    /// <summary>The upload's object, every rendition of it and what the client PUT.</summary>
    public static IReadOnlyList<string> ObjectsOf(string key) =>
        [key, .. DisplayWidths.Select(width => DisplayKey(key, width)), IncomingKey(key)];

    public static string Segment(UploadPurpose purpose) => purpose switch
    {
        UploadPurpose.EventImage => "event_image",
        UploadPurpose.ChatAttachment => "chat_attachment",
        _ => throw new ArgumentOutOfRangeException(nameof(purpose)),
    };

    private static string Extension(string contentType) => contentType switch
    {
        "image/jpeg" => ".jpg",
        "image/png" => ".png",
        "image/webp" => ".webp",
        "application/pdf" => ".pdf",
        _ => "",
    };
}
