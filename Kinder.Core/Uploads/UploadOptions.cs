namespace Kinder.Core.Uploads;

/// <summary>Presigned uploads (section <c>Uploads</c>): how long a URL lives, and per purpose the limit and types.</summary>
public sealed class UploadOptions
{
    public const string SectionName = "Uploads";

    public TimeSpan UrlLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public UploadPurposeOptions EventImage { get; set; } = new()
    {
        MaxBytes = 10 * 1024 * 1024,
        ContentTypes = ["image/jpeg", "image/png", "image/webp"],
    };

    public UploadPurposeOptions ChatAttachment { get; set; } = new()
    {
        MaxBytes = 20 * 1024 * 1024,
        ContentTypes = ["image/jpeg", "image/png", "image/webp", "application/pdf"],
    };

    public UploadPurposeOptions For(UploadPurpose purpose) => purpose switch
    {
        UploadPurpose.EventImage => EventImage,
        UploadPurpose.ChatAttachment => ChatAttachment,
        _ => throw new ArgumentOutOfRangeException(nameof(purpose)),
    };
}

public sealed class UploadPurposeOptions
{
    public long MaxBytes { get; set; }

    // Replaced, not appended to, when configuration gives a list.
    public string[] ContentTypes { get; set; } = [];
}
