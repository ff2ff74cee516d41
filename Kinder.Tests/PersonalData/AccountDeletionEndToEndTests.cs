using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Aspire.Hosting.Testing;
using ImageMagick;
using Kinder.Core;
using Kinder.Core.Identity;
using Kinder.Tests.AppHost;
using Kinder.Tests.Infrastructure;
using Kinder.Tests.Messaging;
using Kinder.Tests.Storage;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.PersonalData;

/// <summary>Deleting an account across the AppHost's running services: Api, Realtime and Workers as processes, real s3rver.</summary>
[Collection(AppHostCollection.Name)]
public sealed class AccountDeletionEndToEndTests(KinderAppHost host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_deleted_account_is_refused_by_api_and_hub_and_workers_erase_its_data_and_avatar()
    {
        var user = await TestAccounts.CreateAsync(await DatabaseAsync());
        var token = TestTokens.For(user).Token;
        using var client = new HttpClient { BaseAddress = host.ApiUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var upload = new MultipartFormDataContent();
        upload.Add(new ByteArrayContent(TestImages.JpegWithGpsExif()), "file", "me.jpg");
        var uploaded = await client.PostAsync("/api/v1/users/profile/picture", upload);
        Assert.True(uploaded.StatusCode == HttpStatusCode.OK, await uploaded.Content.ReadAsStringAsync() + await host.LogsAsync());
        var picture = (await uploaded.Content.ReadFromJsonAsync<PictureBody>())!;
        using var storage = new HttpClient();
        using (var stored = new MagickImage(await storage.GetByteArrayAsync(picture.AvatarUrl)))
        {
            Assert.Equal(512u, stored.Width);
        }
        await using (var before = Hub(token))
        {
            await before.StartAsync(); // the token works until the deletion
        }

        var deletion = await client.DeleteAsync("/api/v1/users/me");

        Assert.Equal(HttpStatusCode.NoContent, deletion.StatusCode);
        var refused = await client.GetAsync("/api/v1/users/me/export");
        await refused.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.TokenRevoked);
        await using (var after = Hub(token))
        {
            var failure = await Assert.ThrowsAsync<HttpRequestException>(() => after.StartAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
        }

        await using var db = TestDatabases.CreateContext(await DatabaseAsync());
        try
        {
            await Eventually.TrueAsync(() => db.Users.AsNoTracking().Single(u => u.Id == user.Id).Email ==
                AccountPersonalDataSource.DeletedEmail(user.Id), "Workers anonymised the account", Patience);
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException(timeout.Message + "\n" + await host.LogsAsync());
        }
        var erased = await db.Users.AsNoTracking().SingleAsync(u => u.Id == user.Id);
        Assert.Equal(AccountPersonalDataSource.DeletedDisplayName, erased.DisplayName);
        Assert.Null(erased.PasswordHash);
        Assert.Null(erased.Location);
        Assert.Null(erased.AvatarKey);
        Assert.Equal(HttpStatusCode.NotFound, (await storage.GetAsync(picture.AvatarUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await storage.GetAsync(picture.ThumbnailUrl)).StatusCode);
    }

    [Fact]
    public async Task The_running_api_takes_a_picture_larger_than_its_json_body_limit()
    {
        var user = await TestAccounts.CreateAsync(await DatabaseAsync());
        using var client = new HttpClient { BaseAddress = host.ApiUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(user).Token);
        var photo = TestImages.NoisyJpeg(1200);
        Assert.True(photo.Length > 1024 * 1024, $"The test photo is only {photo.Length} bytes.");
        using var upload = new MultipartFormDataContent();
        upload.Add(new ByteArrayContent(photo), "file", "big.jpg");

        var response = await client.PostAsync("/api/v1/users/profile/picture", upload);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> DatabaseAsync() => (await host.App.GetConnectionStringAsync(KinderResources.Database))!;

    private HubConnection Hub(string token) => new HubConnectionBuilder()
        .WithUrl(new Uri(host.RealtimeUrl, "/hubs/chat"), options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
        .Build();

    private sealed record PictureBody(string AvatarUrl, string ThumbnailUrl);
}
