using Kinder.Core.RateLimiting;

namespace Kinder.Core.Uploads;

/// <summary>
/// Presigned uploads (section <c>Uploads</c>): how long a URL lives, per purpose the limit and types, the per-user
/// daily quotas, and when uploads never completed are swept.
/// </summary>
public sealed class UploadOptions
{
    public const string SectionName = "Uploads";

    public TimeSpan UrlLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Signed uploads per user per window (a day); past it sign-url is <c>429 RATE_LIMITED</c>.</summary>
    public RateLimitRule DailyUploads { get; set; } = new(200, TimeSpan.FromDays(1));

    /// <summary>Declared bytes per user per window (<see cref="RateLimitRule.PermitLimit"/> in bytes, so at most 2 GiB).</summary>
    public RateLimitRule DailyBytes { get; set; } = new(1024 * 1024 * 1024, TimeSpan.FromDays(1));

    /// <summary>A pending upload older than this is deleted with its object (Workers' sweeper); longer than <see cref="UrlLifetime"/>.</summary>
    public TimeSpan PendingLifetime { get; set; } = TimeSpan.FromDays(1);

    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(10);

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
