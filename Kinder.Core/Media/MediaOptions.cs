using Kinder.Core.RateLimiting;

namespace Kinder.Core.Media;

/// <summary>Image limits (section <c>Media</c>): avatars in the Api and upload display sizes in Workers alike.</summary>
public sealed class MediaOptions
{
    public const string SectionName = "Media";

    /// <summary>The largest avatar file accepted; larger is <c>413 PAYLOAD_TOO_LARGE</c>.</summary>
    public long MaxAvatarBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// The most pixels (width × height) an image may decode to, and so the memory a decode may take: a few kilobytes
    /// of PNG can claim gigapixels (a decompression bomb). Checked from the header before anything is decoded; more is
    /// <c>413 PAYLOAD_TOO_LARGE</c>.
    /// </summary>
    public long MaxAvatarPixels { get; set; } = 16_000_000;

    /// <summary>The widest or tallest image accepted, in pixels.</summary>
    public int MaxAvatarDimension { get; set; } = 12_000;

    /// <summary>Decodes at a time per process; the rest wait. Decoding is CPU- and memory-heavy.</summary>
    public int MaxConcurrentDecodes { get; set; } = Environment.ProcessorCount;

    /// <summary>ImageMagick's pixel cache in memory, process-wide (<c>ResourceLimits.Memory</c>).</summary>
    public long MaxDecodeMemoryBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Avatar uploads per user: each decodes a picture, so they are counted (<c>429 RATE_LIMITED</c> past it).</summary>
    public RateLimitRule AvatarRateLimit { get; set; } = new(20, TimeSpan.FromHours(1));
}
