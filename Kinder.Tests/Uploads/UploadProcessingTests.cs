using ImageMagick;
using Kinder.Core.Uploads;
using Kinder.Tests.Events;
using Kinder.Tests.Infrastructure;
using Kinder.Tests.Storage;
using Kinder.Workers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kinder.Tests.Uploads;

/// <summary>Workers in process on the Api's database and bucket: they relay its outbox and process its uploads.</summary>
public sealed class UploadsStack : IAsyncLifetime
{
    public ApiFactory Api { get; } = new();
    private SharedWorkers? _workers;

    public async Task InitializeAsync()
    {
        await Api.InitializeAsync();
        var bucket = Api.Services.GetRequiredService<IOptions<Kinder.Core.Storage.StorageOptions>>().Value.Bucket;
        _workers = new SharedWorkers(Api.DatabaseConnectionString, bucket);
        _ = _workers.Services; // start it
    }

    public async Task DisposeAsync()
    {
        if (_workers is not null)
        {
            await _workers.DisposeAsync();
        }
        await Api.DisposeAsync();
    }

    private sealed class SharedWorkers(string connectionString, string bucket) : WebApplicationFactory<WorkersAssembly>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseTestServers(connectionString);
            builder.UseSetting("Storage:Bucket", bucket);
            builder.UseSetting("Uploads:SweepInterval", "00:00:00.500");
        }
    }
}

/// <summary>An uploaded event image is served as display sizes Workers made, without its EXIF.</summary>
public sealed class UploadProcessingTests(UploadsStack stack) : IClassFixture<UploadsStack>
{
    [Fact]
    public async Task An_event_image_with_gps_exif_is_processed_by_workers_into_display_sizes_without_exif()
    {
        var api = stack.Api;
        var organizer = api.CreateClientFor(await api.CreateUserAsync());
        var photo = TestImages.JpegWithGpsExif(1600, 1200);
        var upload = await organizer.UploadAsync("event_image", "image/jpeg", photo);
        var uploadId = upload.GetProperty("uploadId").GetGuid();

        await WaitUntilProcessedAsync(uploadId);

        foreach (var (width, height) in new[] { (1280u, 960u), (400u, 300u) })
        {
            var stored = await UploadsDriver.DownloadAsync(upload.GetProperty("displayUrls").GetProperty(width.ToString()).GetString()!);
            using var image = new MagickImage(stored);
            Assert.Equal(MagickFormat.WebP, image.Format);
            Assert.Equal((width, height), (image.Width, image.Height));
            Assert.Null(image.GetExifProfile());
            Assert.Empty(image.ProfileNames);
            Assert.True(stored.AsSpan().IndexOf("KinderCam"u8) < 0, "The camera make survived in the stored bytes.");
        }
        var body = EventsDriver.ValidEvent();
        body["imageKeys"] = new[] { upload.GetProperty("key").GetString() };
        var created = await organizer.CreateEventAsync(body);
        var served = await UploadsDriver.DownloadAsync(created.GetProperty("imageUrls")[0].GetString()!);
        using var servedImage = new MagickImage(served);
        Assert.Null(servedImage.GetExifProfile());
    }

    [Fact]
    public async Task A_pending_upload_never_completed_is_swept_with_its_object_once_past_its_lifetime()
    {
        var api = stack.Api;
        var client = api.CreateClientFor(await api.CreateUserAsync());
        var content = TestImages.Solid(MagickFormat.Png, 333);
        var stale = await client.SignAsync("event_image", "image/png", content.Length);
        await UploadsDriver.PutAsync(stale, content);
        var recent = await client.SignAsync("event_image", "image/png", 100);
        var staleId = stale.GetProperty("uploadId").GetGuid();
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        await db.Uploads.Where(u => u.Id == staleId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.CreatedAt, DateTimeOffset.UtcNow.AddDays(-2)));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await db.Uploads.AnyAsync(u => u.Id == staleId))
        {
            Assert.True(DateTime.UtcNow < deadline, "The stale pending upload was not swept within 30 s.");
            await Task.Delay(100);
        }

        var storage = api.Services.GetRequiredService<Kinder.Core.Storage.ObjectStorage>();
        Assert.False(await storage.ExistsAsync(UploadKeys.IncomingKey(stale.GetProperty("key").GetString()!), CancellationToken.None));
        Assert.True(await db.Uploads.AnyAsync(u => u.Id == recent.GetProperty("uploadId").GetGuid()));
    }

    private async Task WaitUntilProcessedAsync(Guid uploadId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        await using var db = TestDatabases.CreateContext(stack.Api.DatabaseConnectionString);
        while (await db.Uploads.AsNoTracking().Where(u => u.Id == uploadId).Select(u => u.Status).SingleAsync() != UploadStatus.Processed)
        {
            Assert.True(DateTime.UtcNow < deadline, "Workers did not process the upload within 30 s.");
            await Task.Delay(100);
        }
    }
}
