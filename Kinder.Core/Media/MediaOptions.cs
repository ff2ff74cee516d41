namespace Kinder.Core.Media;

/// <summary>Upload limits (section <c>Media</c>).</summary>
public sealed class MediaOptions
{
    public const string SectionName = "Media";

    /// <summary>The largest avatar file accepted; larger is <c>413 PAYLOAD_TOO_LARGE</c>.</summary>
    public long MaxAvatarBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// The most pixels (width × height) an avatar may decode to, and so the memory a decode may take: a few kilobytes
    /// of PNG can claim gigapixels (a decompression bomb). Checked from the header before anything is decoded.
    /// </summary>
    public long MaxAvatarPixels { get; set; } = 40_000_000;

    /// <summary>The widest or tallest avatar accepted, in pixels.</summary>
    public int MaxAvatarDimension { get; set; } = 12_000;
}
