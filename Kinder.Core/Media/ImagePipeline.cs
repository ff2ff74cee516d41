using ImageMagick;
using Kinder.Core.Storage;
using Microsoft.Extensions.Options;

namespace Kinder.Core.Media;

/// <summary>What became of an uploaded picture.</summary>
public abstract record ImageProcessingResult
{
    /// <summary>WebP renditions, metadata-free, in the order the sizes were asked for.</summary>
    public sealed record Processed(IReadOnlyList<byte[]> Renditions) : ImageProcessingResult;

    /// <summary>Not a JPEG, PNG or WebP by its content, or not decodable as one.</summary>
    public sealed record Unsupported(string Reason) : ImageProcessingResult;

    /// <summary>Decodes to more pixels than allowed.</summary>
    public sealed record TooManyPixels(string Reason) : ImageProcessingResult;
}

/// <summary>
/// Kinder's one image pipeline (avatars in the Api, upload display sizes in Workers): only JPEG, PNG and WebP,
/// recognised by their magic bytes and confirmed by ImageMagick's own detection, never by file name or declared type;
/// decoded with that one coder only; turned upright (EXIF orientation), stripped of every profile (EXIF, GPS, XMP,
/// ICC, comments) and re-encoded as WebP — either centre-cropped squares or fitted within widths.
/// </summary>
public sealed class ImagePipeline
{
    private const int WebPQuality = 85;
    private readonly MediaOptions _options;
    // Decoding is CPU- and memory-heavy: at most Media:MaxConcurrentDecodes at a time, the rest wait.
    private readonly SemaphoreSlim _decodes;

    public ImagePipeline(IOptions<MediaOptions> options)
    {
        _options = options.Value;
        _decodes = new SemaphoreSlim(_options.MaxConcurrentDecodes);
        // ImageMagick's own process-wide limits, set once (the pipeline is a singleton), a second line behind the
        // header check below: whatever slips past it still cannot claim more than these.
        ResourceLimits.Width = (ulong)_options.MaxAvatarDimension;
        ResourceLimits.Height = (ulong)_options.MaxAvatarDimension;
        ResourceLimits.Area = (ulong)_options.MaxAvatarPixels;
        ResourceLimits.Memory = (ulong)_options.MaxDecodeMemoryBytes;
    }

    /// <summary>The stored avatar: 512 px and 128 px squares (<see cref="AvatarKeys"/>).</summary>
    public Task<ImageProcessingResult> AvatarAsync(byte[] upload, CancellationToken cancellationToken) =>
        ProcessAsync(upload, image => [Square(image, AvatarKeys.Size), Square(image, AvatarKeys.ThumbnailSize)], cancellationToken);

    /// <summary>Display sizes: the whole picture fitted within each width (never enlarged), aspect ratio kept.</summary>
    public Task<ImageProcessingResult> DisplaySizesAsync(byte[] upload, IReadOnlyList<int> widths, CancellationToken cancellationToken) =>
        ProcessAsync(upload, image => widths.Select(width => FitWithin(image, width)).ToList(), cancellationToken);

    private async Task<ImageProcessingResult> ProcessAsync(byte[] upload, Func<MagickImage, IReadOnlyList<byte[]>> render,
        CancellationToken cancellationToken)
    {
        if (Sniff(upload) is not { } format)
        {
            return new ImageProcessingResult.Unsupported("The file is not a JPEG, PNG or WebP image.");
        }
        await _decodes.WaitAsync(cancellationToken);
        try
        {
            return Process(upload, format, render);
        }
        catch (MagickException)
        {
            return new ImageProcessingResult.Unsupported($"The file could not be read as a {format} image.");
        }
        finally
        {
            _decodes.Release();
        }
    }

    private ImageProcessingResult Process(byte[] upload, MagickFormat format, Func<MagickImage, IReadOnlyList<byte[]>> render)
    {
        // The header only (a ping): ImageMagick's detected format must agree with the magic bytes, and the size
        // must be sane, before a single pixel is decoded.
        var info = new MagickImageInfo(upload);
        if (info.Format != format)
        {
            return new ImageProcessingResult.Unsupported($"The file is not a valid {format} image.");
        }
        if ((long)info.Width * info.Height > _options.MaxAvatarPixels ||
            info.Width > _options.MaxAvatarDimension || info.Height > _options.MaxAvatarDimension)
        {
            return new ImageProcessingResult.TooManyPixels(
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
        return new ImageProcessingResult.Processed(render(image));
    }

    private static byte[] Square(MagickImage image, int size)
    {
        using var copy = image.Clone();
        var side = Math.Min(copy.Width, copy.Height);
        copy.Crop(new MagickGeometry((int)(copy.Width - side) / 2, (int)(copy.Height - side) / 2, side, side));
        copy.ResetPage();
        copy.Resize(new MagickGeometry((uint)size, (uint)size) { IgnoreAspectRatio = true });
        return Encode(copy);
    }

    private static byte[] FitWithin(MagickImage image, int width)
    {
        using var copy = image.Clone();
        if (copy.Width > width)
        {
            copy.Resize(new MagickGeometry((uint)width, 0));
        }
        return Encode(copy);
    }

    private static byte[] Encode(IMagickImage<byte> image)
    {
        image.Strip();
        image.Quality = WebPQuality;
        return image.ToByteArray(MagickFormat.WebP);
    }

    /// <summary>The format the first bytes announce, if it is one we take.</summary>
    public static MagickFormat? Sniff(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xFF, 0xD8, 0xFF, ..] => MagickFormat.Jpeg,
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => MagickFormat.Png,
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => MagickFormat.WebP,
        _ => null,
    };
}
