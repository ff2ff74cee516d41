using ImageMagick;

namespace Kinder.Tests.Storage;

/// <summary>Pictures made in the test, so no binary fixture lives in the repository.</summary>
internal static class TestImages
{
    /// <summary>A landscape photo whose EXIF says where it was taken (GPS) and with which camera.</summary>
    public static byte[] JpegWithGpsExif(uint width = 800, uint height = 600)
    {
        using var image = new MagickImage(MagickColors.SkyBlue, width, height);
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.GPSLatitudeRef, "N");
        exif.SetValue(ExifTag.GPSLatitude, [new Rational(51, 1), new Rational(30, 1), new Rational(2592, 100)]);
        exif.SetValue(ExifTag.GPSLongitudeRef, "W");
        exif.SetValue(ExifTag.GPSLongitude, [new Rational(0, 1), new Rational(7, 1), new Rational(3936, 100)]);
        exif.SetValue(ExifTag.Make, "KinderCam");
        image.SetProfile(exif);
        return image.ToByteArray(MagickFormat.Jpeg);
    }

    /// <summary>A JPEG of random noise: it barely compresses, so its size is easy to push past a limit.</summary>
    public static byte[] NoisyJpeg(uint side)
    {
        using var image = new MagickImage(MagickColors.Gray, side, side);
        image.AddNoise(NoiseType.Random, 2.0);
        image.Quality = 100;
        return image.ToByteArray(MagickFormat.Jpeg);
    }

    public static byte[] Solid(MagickFormat format, uint width = 300, uint height = 200)
    {
        using var image = new MagickImage(MagickColors.Coral, width, height);
        return image.ToByteArray(format);
    }
}
