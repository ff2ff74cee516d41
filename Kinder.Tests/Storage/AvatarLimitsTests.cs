using System.Net;
using System.Net.Http.Headers;
using ImageMagick;
using Kinder.Core;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Kinder.Tests.Storage;

/// <summary>The Api with its default image limits, and an avatar rate limit small enough to reach.</summary>
public sealed class AvatarLimitsApiFactory : ApiFactory
{
    public const int AvatarsPerWindow = 3;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Media:AvatarRateLimit:PermitLimit", AvatarsPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Media:AvatarRateLimit:Window", "01:00:00");
    }
}

/// <summary>One avatar request must not be able to take the Api's memory and CPU.</summary>
public sealed class AvatarLimitsTests(AvatarLimitsApiFactory api) : IClassFixture<AvatarLimitsApiFactory>
{
    private const string Path = "/api/v1/users/profile/picture";

    [Fact]
    public async Task A_decompression_bomb_png_is_refused_by_the_default_pixel_limit_before_it_is_decoded()
    {
        var client = await SignedInClientAsync();
        // 8000 × 5000 = 40 MP of one colour: about a hundred kilobytes of PNG, gigabytes of pixels once decoded.
        var bomb = TestImages.Solid(MagickFormat.Png, 8000, 5000);
        Assert.True(bomb.Length < 1024 * 1024, $"The bomb is {bomb.Length} bytes.");

        var response = await client.PostAsync(Path, ProfilePictureTests.FileContent(bomb, "bomb.png", "image/png"));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
    }

    [Fact]
    public async Task Avatar_uploads_past_the_per_user_limit_are_rate_limited_with_retry_after()
    {
        var client = await SignedInClientAsync();
        var picture = TestImages.Solid(MagickFormat.Png, 64, 64);
        for (var i = 0; i < AvatarLimitsApiFactory.AvatarsPerWindow; i++)
        {
            var accepted = await client.PostAsync(Path, ProfilePictureTests.FileContent(picture, "me.png", "image/png"));
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        var response = await client.PostAsync(Path, ProfilePictureTests.FileContent(picture, "me.png", "image/png"));

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "No Retry-After on the 429.");
        var other = await SignedInClientAsync();
        var someoneElse = await other.PostAsync(Path, ProfilePictureTests.FileContent(picture, "me.png", "image/png"));
        Assert.Equal(HttpStatusCode.OK, someoneElse.StatusCode);
    }

    private async Task<HttpClient> SignedInClientAsync()
    {
        var user = await api.CreateUserAsync();
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(user).Token);
        return client;
    }
}
