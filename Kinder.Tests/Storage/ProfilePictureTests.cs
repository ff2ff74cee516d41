using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ImageMagick;
using Kinder.Core;
using Kinder.Core.Storage;
using Kinder.Tests.Infrastructure;
using Kinder.Tests.PersonalData;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Storage;

/// <summary>The Api with small upload limits, so the limits can be tested without megabytes of test data.</summary>
public sealed class ProfilePictureApiFactory : ApiFactory
{
    public const long MaxAvatarBytes = 256 * 1024;
    public const long MaxAvatarPixels = 2_000_000;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Media:MaxAvatarBytes", MaxAvatarBytes.ToString());
        builder.UseSetting("Media:MaxAvatarPixels", MaxAvatarPixels.ToString());
    }
}

/// <summary>POST /users/profile/picture: content-checked, re-encoded, metadata-free avatars in the S3 server.</summary>
public sealed class ProfilePictureTests(ProfilePictureApiFactory api) : IClassFixture<ProfilePictureApiFactory>
{
    private const string Path = "/api/v1/users/profile/picture";
    private static readonly HttpClient Storage = new();

    [Fact]
    public async Task A_jpeg_with_gps_exif_comes_back_from_storage_as_512_and_128_px_webp_squares_without_metadata()
    {
        var upload = TestImages.JpegWithGpsExif();
        using (var original = new MagickImage(upload))
        {
            Assert.NotNull(original.GetExifProfile()?.GetValue(ExifTag.GPSLatitude)); // the test photo does leak GPS
        }
        var (client, _) = await SignedInClientAsync();

        var response = await client.PostAsync(Path, FileContent(upload, "holiday.jpg", "image/jpeg"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<PictureBody>();
        foreach (var (url, size) in new[] { (body!.AvatarUrl, 512), (body.ThumbnailUrl, 128) })
        {
            var stored = await Storage.GetByteArrayAsync(url);
            using var image = new MagickImage(stored);
            Assert.Equal(MagickFormat.WebP, image.Format);
            Assert.Equal((uint)size, image.Width);
            Assert.Equal((uint)size, image.Height);
            Assert.Null(image.GetExifProfile());
            Assert.Null(image.GetXmpProfile());
            Assert.Empty(image.ProfileNames);
            Assert.True(stored.AsSpan().IndexOf("EXIF"u8) < 0, "The WebP carries an EXIF chunk.");
            Assert.True(stored.AsSpan().IndexOf("KinderCam"u8) < 0, "The camera make survived in the stored bytes.");
        }
    }

    [Theory]
    [InlineData("png")]
    [InlineData("webp")]
    public async Task Png_and_webp_pictures_are_accepted(string format)
    {
        var magickFormat = format == "png" ? MagickFormat.Png : MagickFormat.WebP;
        var (client, user) = await SignedInClientAsync();

        var response = await client.PostAsync(Path, FileContent(TestImages.Solid(magickFormat), $"me.{format}", $"image/{format}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<PictureBody>();
        using var image = new MagickImage(await Storage.GetByteArrayAsync(body!.AvatarUrl));
        Assert.Equal(512u, image.Width);
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var avatarKey = await db.Users.Where(u => u.Id == user).Select(u => u.AvatarKey).SingleAsync();
        Assert.Matches($"^avatars/{user}/[0-9a-f]{{32}}-512\\.webp$", avatarKey);
        Assert.EndsWith(avatarKey!, body.AvatarUrl);
    }

    [Fact]
    public async Task A_text_file_named_jpg_is_refused_as_an_unsupported_media_type()
    {
        var (client, _) = await SignedInClientAsync();

        var response = await client.PostAsync(Path, FileContent("just some text, honest"u8.ToArray(), "photo.jpg", "image/jpeg"));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, ErrorCodes.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_file_with_jpeg_magic_bytes_that_is_no_jpeg_is_refused_as_an_unsupported_media_type()
    {
        var (client, _) = await SignedInClientAsync();
        byte[] fake = [0xFF, 0xD8, 0xFF, .. "this is not a JPEG at all"u8];

        var response = await client.PostAsync(Path, FileContent(fake, "photo.jpg", "image/jpeg"));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, ErrorCodes.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_refused_as_too_large()
    {
        var (client, _) = await SignedInClientAsync();
        var oversized = new byte[ProfilePictureApiFactory.MaxAvatarBytes + 1];
        TestImages.Solid(MagickFormat.Jpeg).CopyTo(oversized, 0);

        var response = await client.PostAsync(Path, FileContent(oversized, "big.jpg", "image/jpeg"));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
    }

    [Fact]
    public async Task A_picture_over_the_pixel_limit_is_refused_before_it_is_decoded()
    {
        var (client, _) = await SignedInClientAsync();
        // 1500 × 1500 = 2.25 MP of one colour: a few kilobytes of PNG over the 2 MP limit.
        var bomb = TestImages.Solid(MagickFormat.Png, 1500, 1500);
        Assert.True(bomb.Length < ProfilePictureApiFactory.MaxAvatarBytes);

        var response = await client.PostAsync(Path, FileContent(bomb, "bomb.png", "image/png"));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
    }

    [Fact]
    public async Task A_request_without_a_file_fails_validation_on_file()
    {
        var (client, _) = await SignedInClientAsync();
        using var form = new MultipartFormDataContent { { new StringContent("hello"), "other" } };

        var response = await client.PostAsync(Path, form);

        await response.AssertFieldErrorAsync("file");
    }

    [Fact]
    public async Task An_upload_without_a_token_is_unauthorized()
    {
        var client = api.CreateClient();

        var response = await client.PostAsync(Path, FileContent(TestImages.Solid(MagickFormat.Png), "me.png", "image/png"));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task A_new_picture_replaces_the_old_one_and_deletes_its_objects()
    {
        var (client, _) = await SignedInClientAsync();
        var first = await (await client.PostAsync(Path, FileContent(TestImages.Solid(MagickFormat.Png), "a.png", "image/png")))
            .Content.ReadFromJsonAsync<PictureBody>();

        var response = await client.PostAsync(Path, FileContent(TestImages.Solid(MagickFormat.WebP), "b.webp", "image/webp"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var second = await response.Content.ReadFromJsonAsync<PictureBody>();
        Assert.NotEqual(first!.AvatarUrl, second!.AvatarUrl);
        Assert.Equal(HttpStatusCode.NotFound, (await Storage.GetAsync(first.AvatarUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Storage.GetAsync(first.ThumbnailUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Storage.GetAsync(second.ThumbnailUrl)).StatusCode);
    }

    [Fact]
    public async Task The_storage_health_check_reports_the_bucket_reachable()
    {
        using var admin = api.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", (await TestTokens.ForNewAdminAsync(api.DatabaseConnectionString)).Token); // the detail is an operator's
        var response = await admin.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty(KinderResources.Storage).GetProperty("status").GetString());
    }

    private async Task<(HttpClient Client, Guid UserId)> SignedInClientAsync()
    {
        var user = await TestAccounts.CreateAsync(api.DatabaseConnectionString);
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(user).Token);
        return (client, user.Id);
    }

    internal static MultipartFormDataContent FileContent(byte[] bytes, string fileName, string contentType)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    private sealed record PictureBody(string AvatarUrl, string ThumbnailUrl);
}
