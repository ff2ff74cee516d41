using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using ImageMagick;
using Kinder.Core;
using Kinder.Core.Storage;
using Kinder.Tests.Infrastructure;
using Kinder.Tests.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Uploads;

/// <summary>The Api with daily upload quotas small enough to reach.</summary>
public sealed class UploadQuotaApiFactory : ApiFactory
{
    public const int DailyUploads = 4;
    public const int DailyBytes = 1024 * 1024;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Uploads:DailyUploads:PermitLimit", DailyUploads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Uploads:DailyBytes:PermitLimit", DailyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>What a client can do with a signed URL is bounded: the object checked is the object served.</summary>
public sealed class UploadHardeningTests(UploadQuotaApiFactory api) : IClassFixture<UploadQuotaApiFactory>
{
    private static readonly HttpClient Storage = new();

    [Fact]
    public async Task A_put_after_complete_cannot_replace_the_checked_object()
    {
        var client = api.CreateClientFor(await api.CreateUserAsync());
        var png = TestImages.Solid(MagickFormat.Png);
        var signed = await client.SignAsync("chat_attachment", "image/png", png.Length);
        await UploadsDriver.PutAsync(signed, png);
        Assert.Equal(HttpStatusCode.OK, (await client.CompleteAsync(signed)).StatusCode);

        // The same URL again, now with a PDF of the same length (the URL may refuse it; it must not matter).
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4 " + new string('x', png.Length - 9));
        using (var swap = new HttpRequestMessage(HttpMethod.Put, signed.GetProperty("url").GetString()) { Content = new ByteArrayContent(pdf) })
        {
            swap.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("image/png");
            using var _ = await Storage.SendAsync(swap);
        }

        var storage = api.Services.GetRequiredService<ObjectStorage>();
        var served = await storage.GetAsync(signed.GetProperty("key").GetString()!, CancellationToken.None);
        Assert.Equal(png, served);
        var again = await (await client.CompleteAsync(signed)).ReadJsonAsync();
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png)), again.GetProperty("sha256").GetString());
    }

    /// <remarks>
    /// Real S3 refuses a PUT whose Content-Length is not the signed one; s3rver checks no SigV4 signature (README,
    /// Storage), so what is tested here is that the length is signed. Complete refuses a larger object either way
    /// (<see cref="UploadTests.A_put_larger_than_declared_is_refused_at_complete_and_the_object_deleted"/>).
    /// </remarks>
    [Fact]
    public async Task The_signed_url_binds_the_declared_length()
    {
        var client = api.CreateClientFor(await api.CreateUserAsync());

        var signed = await client.SignAsync("chat_attachment", "image/png", 1234);

        Assert.Equal("1234", signed.GetProperty("headers").GetProperty("Content-Length").GetString());
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(signed.GetProperty("url").GetString()!).Query);
        Assert.Contains("content-length", query["X-Amz-SignedHeaders"]!.Split(';'));
        // The URL writes an incoming key, never the upload's key, which is what is served.
        Assert.EndsWith("/incoming/" + signed.GetProperty("key").GetString(), new Uri(signed.GetProperty("url").GetString()!).AbsolutePath);
    }

    [Fact]
    public async Task An_unverified_user_cannot_sign_an_upload()
    {
        var client = api.CreateClientFor(await api.CreateUserAsync(user => user.EmailVerified = false));

        var response = await client.PostAsJsonAsync("/api/v1/uploads/sign-url",
            new { purpose = "chat_attachment", contentType = "image/png", sizeBytes = 1000 });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.EmailNotVerified);
    }

    [Fact]
    public async Task Uploads_past_the_daily_count_are_refused_with_retry_after()
    {
        var client = api.CreateClientFor(await api.CreateUserAsync());
        for (var i = 0; i < UploadQuotaApiFactory.DailyUploads; i++)
        {
            await client.SignAsync("chat_attachment", "application/pdf", 100);
        }

        var response = await client.PostAsJsonAsync("/api/v1/uploads/sign-url",
            new { purpose = "chat_attachment", contentType = "application/pdf", sizeBytes = 100 });

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "No Retry-After on the 429.");
    }

    [Fact]
    public async Task Uploads_past_the_daily_bytes_are_refused()
    {
        var client = api.CreateClientFor(await api.CreateUserAsync());
        var size = UploadQuotaApiFactory.DailyBytes * 6 / 10;
        await client.SignAsync("chat_attachment", "application/pdf", size);

        var response = await client.PostAsJsonAsync("/api/v1/uploads/sign-url",
            new { purpose = "chat_attachment", contentType = "application/pdf", sizeBytes = size });

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
    }
}
