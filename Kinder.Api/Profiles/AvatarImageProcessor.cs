using ImageMagick;
using Kinder.Core.Storage;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Profiles;

/// <summary>What became of an uploaded picture.</summary>
public abstract record AvatarProcessingResult
{
    /// <summary>Square WebP renditions, metadata-free.</summary>
    public sealed record Processed(byte[] Avatar, byte[] Thumbnail) : AvatarProcessingResult;

    /// <summary>Not a JPEG, PNG or WebP by its content, or not decodable as one.</summary>
    public sealed record Unsupported(string Reason) : AvatarProcessingResult;

    /// <summary>Decodes to more pixels than allowed.</summary>
    public sealed record TooManyPixels(string Reason) : AvatarProcessingResult;
}

/// <summary>
/// Turns an uploaded photo into the stored avatar: only JPEG, PNG and WebP, recognised by their magic bytes and
/// confirmed by ImageMagick's own detection, never by file name or declared type; decoded with that one coder only;
/// turned upright (EXIF orientation), stripped of every profile (EXIF, GPS, XMP, ICC, comments), centre-cropped to a
/// square and re-encoded as 512 px and 128 px WebP.
/// </summary>
public sealed class AvatarImageProcessor
{
    private const int WebPQuality = 85;
    private readonly MediaOptions _options;
    // Decoding is CPU- and memory-heavy: at most one per core at a time, the rest wait.
    private readonly SemaphoreSlim _decodes = new(Environment.ProcessorCount);

    public AvatarImageProcessor(IOptions<MediaOptions> options)
    {
        _options = options.Value;
        // ImageMagick's own hard limits, a second line behind the header check below: whatever slips past it
        // still cannot allocate beyond these.
        ResourceLimits.Width = (ulong)_options.MaxAvatarDimension;
        ResourceLimits.Height = (ulong)_options.MaxAvatarDimension;
    }

    public async Task<AvatarProcessingResult> ProcessAsync(byte[] upload, CancellationToken cancellationToken)
    {
        if (Sniff(upload) is not { } format)
        {
            return new AvatarProcessingResult.Unsupported("The file is not a JPEG, PNG or WebP image.");
        }
        await _decodes.WaitAsync(cancellationToken);
        try
        {
            return Process(upload, format);
        }
        catch (MagickException)
        {
            return new AvatarProcessingResult.Unsupported($"The file could not be read as a {format} image.");
        }
        finally
        {
            _decodes.Release();
        }
    }

    private AvatarProcessingResult Process(byte[] upload, MagickFormat format)
    {
        // The header only (a ping): ImageMagick's detected format must agree with the magic bytes, and the size
        // must be sane, before a single pixel is decoded.
        var info = new MagickImageInfo(upload);
        if (info.Format != format)
        {
            return new AvatarProcessingResult.Unsupported($"The file is not a valid {format} image.");
        }
        if ((long)info.Width * info.Height > _options.MaxAvatarPixels ||
            info.Width > _options.MaxAvatarDimension || info.Height > _options.MaxAvatarDimension)
        {
            return new AvatarProcessingResult.TooManyPixels(
                $"The image is {info.Width}×{info.Height} pixels; at most {_options.MaxAvatarPixels} pixels " +
                $"and {_options.MaxAvatarDimension} per side are accepted.");
        }

        // Format given explicitly so no other coder ever sees the bytes; only the first frame of an animation.
        using var image = new MagickImage(upload, new MagickReadSettings { Format = format, FrameIndex = 0, FrameCount = 1 });
        image.AutoOrient();
        if (image.ColorSpace == ColorSpace.CMYK)
        {
            image.ColorSpace = ColorSpace.sRGB;
        }
        image.Strip();
        var side = Math.Min(image.Width, image.Height);
        image.Crop(new MagickGeometry((int)(image.Width - side) / 2, (int)(image.Height - side) / 2, side, side));
        image.ResetPage();
        return new AvatarProcessingResult.Processed(Encode(image, AvatarKeys.Size), Encode(image, AvatarKeys.ThumbnailSize));
    }

    private static byte[] Encode(MagickImage square, int size)
    {
        using var copy = square.Clone();
        copy.Resize(new MagickGeometry((uint)size, (uint)size) { IgnoreAspectRatio = true });
        copy.Strip();
        copy.Quality = WebPQuality;
        return copy.ToByteArray(MagickFormat.WebP);
    }

    /// <summary>The format the first bytes announce, if it is one we take.</summary>
    internal static MagickFormat? Sniff(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xFF, 0xD8, 0xFF, ..] => MagickFormat.Jpeg,
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => MagickFormat.Png,
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => MagickFormat.WebP,
        _ => null,
    };
}
