using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using ImageMagick;
using Kinder.Core;
using Kinder.Core.Uploads;
using Kinder.Tests.Events;
using Kinder.Tests.Infrastructure;
using Kinder.Tests.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kinder.Tests.Uploads;

/// <summary>The Api with a small event image limit, so the limit is testable without megabytes.</summary>
public sealed class UploadsApiFactory : ApiFactory
{
    public const long MaxEventImageBytes = 512 * 1024;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Uploads:EventImage:MaxBytes", MaxEventImageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>sign-url → PUT to s3rver → complete, and delete: what complete checks is all that protects us.</summary>
public sealed class UploadTests(UploadsApiFactory api) : IClassFixture<UploadsApiFactory>
{
    [Fact]
    public async Task Sign_put_and_complete_records_the_upload_with_its_size_and_sha256()
    {
        var client = api.CreateClientFor(await api.CreateUserAsync());
        var content = TestImages.Solid(MagickFormat.Png);

        var signed = await client.SignAsync("event_image", "image/png", content.Length);
        await UploadsDriver.PutAsync(signed, content);
        var response = await client.CompleteAsync(signed);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(signed.GetProperty("uploadId").GetGuid(), body.GetProperty("uploadId").GetGuid());
        Assert.Equal(signed.GetProperty("key").GetString(), body.GetProperty("key").GetString());
        Assert.Equal("complete", body.GetProperty("status").GetString());
        Assert.Equal(content.Length, body.GetProperty("sizeBytes").GetInt64());
        Assert.False(body.GetProperty("duplicate").GetBoolean());
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        Assert.Equal(sha256, body.GetProperty("sha256").GetString());
        Assert.Equal(content, await UploadsDriver.DownloadAsync(ObjectUrl(body.GetProperty("key").GetString()!)));
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var row = await db.Uploads.SingleAsync(u => u.Id == body.GetProperty("uploadId").GetGuid());
        Assert.Equal((UploadStatus.Complete, content.LongLength, sha256), (row.Status, row.ActualSize!.Value, row.Sha256));
        Assert.NotNull(row.CompletedAt);
    }

    [Fact]
    public async Task Sign_url_is_a_presigned_put_for_a_key_of_the_caller_that_expires()
    {
        var user = await api.CreateUserAsync();
        var client = api.CreateClientFor(user);

        var signed = await client.SignAsync("chat_attachment", "application/pdf", 1000);

        Assert.StartsWith($"uploads/{user.Id}/chat_attachment/", signed.GetProperty("key").GetString());
        Assert.Contains("X-Amz-Signature=", signed.GetProperty("url").GetString());
        Assert.Equal("application/pdf", signed.GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.InRange(signed.GetProperty("expiresAt").GetDateTimeOffset(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1));
    }

    [Theory]
    [InlineData("event_image", "application/pdf", 1000, "contentType")]
    [InlineData("event_image", "image/gif", 1000, "contentType")]
    [InlineData("event_image", "image/jpeg", UploadsApiFactory.MaxEventImageBytes + 1, "sizeBytes")]
    [InlineData("event_image", "image/jpeg", 0, "sizeBytes")]
    public async Task Sign_url_refuses_a_type_or_size_the_purpose_does_not_take(string purpose, string contentType, long sizeBytes, string field)
    {
        var client = api.CreateClientFor(await api.CreateUserAsync());

        var response = await client.PostAsJsonAsync("/api/v1/uploads/sign-url", new { purpose, contentType, sizeBytes });

        await response.AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task Complete_before_anything_was_put_is_a_conflict()
    {
        var client = api.CreateClientFor(await api.CreateUserAsync());
        var signed = await client.SignAsync("event_image", "image/png", 100);

        var response = await client.CompleteAsync(signed);

        await response.AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.UploadNotReceived);
    }

    [Fact]
    public async Task A_put_larger_than_declared_is_refused_at_complete_and_the_object_deleted()
    {
        var client = api.CreateClientFor(await api.CreateUserAsync());
        var content = TestImages.Solid(MagickFormat.Png);
        var signed = await client.SignAsync("event_image", "image/png", content.Length - 10);
        await UploadsDriver.PutAsync(signed, content, asSigned: false);

        var response = await client.CompleteAsync(signed);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
        var url = $"{TestServers.S3}/{Bucket}/{signed.GetProperty("key").GetString()}";
        Assert.Equal(HttpStatusCode.NotFound, await UploadsDriver.StorageStatusAsync(url));
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        Assert.False(await db.Uploads.AnyAsync(u => u.Id == signed.GetProperty("uploadId").GetGuid()));
    }

    [Fact]
    public async Task Text_declared_as_a_jpeg_is_refused_at_complete()
    {
        var client = api.CreateClientFor(await api.CreateUserAsync());
        var content = Encoding.UTF8.GetBytes("<html>definitely not a picture</html>");
        var signed = await client.SignAsync("event_image", "image/jpeg", content.Length);
        await UploadsDriver.PutAsync(signed, content);

        var response = await client.CompleteAsync(signed);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, ErrorCodes.UnsupportedMediaType);
        var url = $"{TestServers.S3}/{Bucket}/{signed.GetProperty("key").GetString()}";
        Assert.Equal(HttpStatusCode.NotFound, await UploadsDriver.StorageStatusAsync(url));
    }

    [Fact]
    public async Task A_png_declared_as_a_jpeg_is_refused_at_complete()
    {
        var client = api.CreateClientFor(await api.CreateUserAsync());
        var content = TestImages.Solid(MagickFormat.Png);
        var signed = await client.SignAsync("event_image", "image/jpeg", content.Length);
        await UploadsDriver.PutAsync(signed, content);

        var response = await client.CompleteAsync(signed);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, ErrorCodes.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_duplicate_of_an_earlier_upload_reuses_the_stored_object_and_deletes_the_new_one()
    {
        var client = api.CreateClientFor(await api.CreateUserAsync());
        var content = TestImages.Solid(MagickFormat.WebP);
        var first = await client.UploadAsync("event_image", "image/webp", content);
        var signed = await client.SignAsync("event_image", "image/webp", content.Length);
        await UploadsDriver.PutAsync(signed, content);

        var response = await client.CompleteAsync(signed);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.True(body.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.GetProperty("uploadId").GetGuid(), body.GetProperty("uploadId").GetGuid());
        Assert.Equal(first.GetProperty("key").GetString(), body.GetProperty("key").GetString());
        var newUrl = $"{TestServers.S3}/{Bucket}/{signed.GetProperty("key").GetString()}";
        Assert.Equal(HttpStatusCode.NotFound, await UploadsDriver.StorageStatusAsync(newUrl));
        Assert.Equal(HttpStatusCode.OK, await UploadsDriver.StorageStatusAsync(ObjectUrl(first.GetProperty("key").GetString()!)));
    }

    [Fact]
    public async Task Completing_someone_elses_upload_is_not_found()
    {
        var owner = api.CreateClientFor(await api.CreateUserAsync());
        var signed = await owner.SignAsync("event_image", "image/png", 100);
        var other = api.CreateClientFor(await api.CreateUserAsync());

        var response = await other.CompleteAsync(signed);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task The_owner_deletes_an_upload_and_its_object()
    {
        var client = api.CreateClientFor(await api.CreateUserAsync());
        var upload = await client.UploadAsync("event_image", "image/png", TestImages.Solid(MagickFormat.Png));

        var response = await client.DeleteAsync($"/api/v1/uploads/{upload.GetProperty("key").GetString()}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await UploadsDriver.StorageStatusAsync(ObjectUrl(upload.GetProperty("key").GetString()!)));
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        Assert.False(await db.Uploads.AnyAsync(u => u.Id == upload.GetProperty("uploadId").GetGuid()));
    }

    [Fact]
    public async Task The_owner_deletes_an_upload_by_its_url_encoded_key()
    {
        var client = api.CreateClientFor(await api.CreateUserAsync());
        var upload = await client.UploadAsync("event_image", "image/png", TestImages.Solid(MagickFormat.Png, 330));

        var response = await client.DeleteAsync($"/api/v1/uploads/{Uri.EscapeDataString(upload.GetProperty("key").GetString()!)}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await UploadsDriver.StorageStatusAsync(ObjectUrl(upload.GetProperty("key").GetString()!)));
    }

    [Fact]
    public async Task Deleting_someone_elses_upload_is_not_found_and_keeps_it()
    {
        var owner = api.CreateClientFor(await api.CreateUserAsync());
        var upload = await owner.UploadAsync("event_image", "image/png", TestImages.Solid(MagickFormat.Png));
        var other = api.CreateClientFor(await api.CreateUserAsync());

        var response = await other.DeleteAsync($"/api/v1/uploads/{upload.GetProperty("key").GetString()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Assert.Equal(HttpStatusCode.OK, await UploadsDriver.StorageStatusAsync(ObjectUrl(upload.GetProperty("key").GetString()!)));
    }

    [Fact]
    public async Task An_event_takes_a_completed_event_image_upload_of_the_organizer()
    {
        var organizer = api.CreateClientFor(await api.CreateUserAsync());
        var upload = await organizer.UploadAsync("event_image", "image/jpeg", TestImages.JpegWithGpsExif());
        var body = EventsDriver.ValidEvent();
        body["imageKeys"] = new[] { upload.GetProperty("key").GetString() };

        var created = await organizer.CreateEventAsync(body);

        // Both are signed URLs of the same rendition, signed at different moments.
        Assert.Equal(new Uri(upload.GetProperty("displayUrls").GetProperty("1280").GetString()!).AbsolutePath,
            new Uri(created.GetProperty("imageUrls")[0].GetString()!).AbsolutePath);
    }

    [Fact]
    public async Task An_event_refuses_an_image_key_that_is_not_a_completed_upload_of_the_organizer()
    {
        var someoneElse = api.CreateClientFor(await api.CreateUserAsync());
        var theirs = await someoneElse.UploadAsync("event_image", "image/png", TestImages.Solid(MagickFormat.Png, 310));
        var organizer = api.CreateClientFor(await api.CreateUserAsync());
        var pending = await organizer.SignAsync("event_image", "image/png", 100);
        var body = EventsDriver.ValidEvent();
        body["imageKeys"] = new[] { theirs.GetProperty("key").GetString(), pending.GetProperty("key").GetString(), "events/made-up.jpg" };

        var response = await organizer.PostAsJsonAsync("/api/v1/events", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("imageKeys[0]", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("imageKeys[1]", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("imageKeys[2]", out _), errors.ToString());
    }

    [Fact]
    public async Task Erasing_the_owner_deletes_their_uploads_and_objects_and_the_export_lists_them_before()
    {
        var user = await api.CreateUserAsync();
        var client = api.CreateClientFor(user);
        var upload = await client.UploadAsync("event_image", "image/png", TestImages.Solid(MagickFormat.Png, 320));
        using var scope = api.Services.CreateScope();
        var source = scope.ServiceProvider.GetServices<Kinder.Core.PersonalData.IPersonalDataSource>().OfType<UploadsPersonalDataSource>().Single();
        Assert.NotNull(await source.ExportAsync(user.Id, CancellationToken.None));

        await source.EraseAsync(user.Id, CancellationToken.None);

        Assert.Equal(HttpStatusCode.NotFound, await UploadsDriver.StorageStatusAsync(ObjectUrl(upload.GetProperty("key").GetString()!)));
        Assert.Null(await source.ExportAsync(user.Id, CancellationToken.None));
    }

    private string Bucket => api.Services.GetRequiredService<IOptions<Kinder.Core.Storage.StorageOptions>>().Value.Bucket;

    /// <summary>The object's unsigned URL: s3rver serves it anyway (README, Storage), so tests can look at what is stored.</summary>
    private string ObjectUrl(string key) => $"{TestServers.S3}/{Bucket}/{key}";
}
