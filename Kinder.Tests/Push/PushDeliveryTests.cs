using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kinder.Core.Chat;
using Kinder.Messaging;
using Kinder.PushFake;
using Kinder.Tests.Infrastructure;
using Kinder.Tests.Messaging;
using Kinder.Tests.Notifications;
using Kinder.Workers.Notifications;
using Kinder.Workers.Push;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kinder.Tests.Push;

/// <summary>
/// A <c>PushRequested</c> on <c>notifications.push</c> reaches each of the user's devices through the push fake, which
/// checks auth, payload and token as FCM and APNs do: once per device, dead tokens dropped.
/// </summary>
public sealed class PushDeliveryTests(PushStack stack) : IClassFixture<PushStack>
{
    private PushFakeServer Fake => stack.Fake;

    [Fact]
    public async Task A_push_reaches_the_users_fcm_and_apns_devices_with_auth_payload_badge_and_collapse_id()
    {
        var (user, client) = await stack.NewUserAsync();
        var (fcmToken, apnsToken) = (PushStack.NewFcmToken(), PushStack.NewApnsToken());
        await RegisterAsync(client, "fcm", fcmToken);
        await RegisterAsync(client, "apns", apnsToken);
        var push = PushStack.Push(user.Id);

        await stack.ProduceAsync(KafkaEnvelope.Create(push), user.Id);

        var (fcm, apns) = (await OneRecordAsync(fcmToken), await OneRecordAsync(apnsToken));
        var eventId = push.Data!["eventId"];
        var message = fcm.Payload.AsObject();
        Assert.Equal(("fcm", push.Title, push.Body), (fcm.Provider, (string?)message["notification"]?["title"], (string?)message["notification"]?["body"]));
        Assert.Equal(("event_updated", eventId, push.NotificationId.ToString()),
            ((string?)message["data"]?["type"], (string?)message["data"]?["eventId"], (string?)message["data"]?["notificationId"]));
        Assert.Equal(push.CollapseKey, (string?)message["android"]?["collapse_key"]);
        Assert.Equal(3, (int?)message["apns"]?["payload"]?["aps"]?["badge"]);

        Assert.Equal("apns", apns.Provider);
        Assert.Equal((PushStack.BundleId, "alert", push.CollapseKey),
            (apns.Headers["apns-topic"], apns.Headers["apns-push-type"], apns.Headers["apns-collapse-id"]));
        var aps = apns.Payload["aps"]!;
        Assert.Equal((push.Title, push.Body, 3), ((string?)aps["alert"]?["title"], (string?)aps["alert"]?["body"], (int?)aps["badge"]));
        Assert.Equal((eventId, "event_updated"), ((string?)apns.Payload["eventId"], (string?)apns.Payload["type"]));

        await using var db = stack.Db();
        Assert.Equal(2, await db.PushDeliveries.CountAsync(d => d.PushKey == push.NotificationId && d.SentAt != null));
    }

    [Fact]
    public async Task A_token_the_service_reports_dead_is_removed_and_the_others_still_get_the_push()
    {
        var (user, client) = await stack.NewUserAsync();
        var deadApns = PushFakeOptions.DeadTokenPrefix + PushStack.NewApnsToken()[8..];
        var deadFcm = PushStack.NewFcmToken();
        var liveFcm = PushStack.NewFcmToken();
        Fake.DeadTokens.Mark(deadFcm); // uninstalled since it registered
        foreach (var (platform, token) in new[] { ("apns", deadApns), ("fcm", deadFcm), ("fcm", liveFcm) })
            await RegisterAsync(client, platform, token);

        await stack.ProduceAsync(KafkaEnvelope.Create(PushStack.Push(user.Id)), user.Id);

        await OneRecordAsync(liveFcm);
        await Eventually.TrueAsync(() => DeviceTokensOf(user.Id).SequenceEqual([liveFcm]), "the dead tokens' devices are removed");
        Assert.DoesNotContain(Fake.Records.All, record => record.Token == deadApns || record.Token == deadFcm);
    }

    [Fact]
    public async Task A_redelivered_record_sends_nothing_twice_to_a_device()
    {
        var (user, client) = await stack.NewUserAsync();
        var (fcmToken, apnsToken) = (PushStack.NewFcmToken(), PushStack.NewApnsToken());
        await RegisterAsync(client, "fcm", fcmToken);
        await RegisterAsync(client, "apns", apnsToken);
        var envelope = KafkaEnvelope.Create(PushStack.Push(user.Id, title: "first"));

        // The same record twice (a producer retry, a consumer that crashed before storing its offset), then another
        // push: records of one user are handled in order, so once the last arrived the duplicate was handled.
        await stack.ProduceAsync(envelope, user.Id);
        await stack.ProduceAsync(envelope, user.Id);
        await stack.ProduceAsync(KafkaEnvelope.Create(PushStack.Push(user.Id, title: "last")), user.Id);
        await Eventually.TrueAsync(() => Fake.Records.All.Count(r => r.Token == apnsToken || r.Token == fcmToken) == 4,
            "the last push arrives on both devices");

        // A redelivery that reaches the sender directly, with the envelope id the consumer passes.
        await using (var scope = stack.Workers.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IPushSender>().SendAsync(envelope.Deserialize<PushRequested>(), envelope.Id, default);

        foreach (var token in new[] { fcmToken, apnsToken })
        {
            var titles = Fake.Records.All.Where(r => r.Token == token)
                .Select(r => (string?)(r.Provider == "fcm" ? r.Payload["notification"]?["title"] : r.Payload["aps"]?["alert"]?["title"]));
            Assert.Equal(["first", "last"], titles);
        }
    }

    [Fact]
    public async Task A_user_without_devices_is_pushed_nothing_and_the_record_is_done()
    {
        var (user, _) = await stack.NewUserAsync();
        var before = Fake.Records.All.Count;

        await using var scope = stack.Workers.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IPushSender>().SendAsync(PushStack.Push(user.Id), Guid.NewGuid(), default);

        Assert.Equal(before, Fake.Records.All.Count);
    }

    [Fact]
    public async Task The_fcm_access_token_is_reused_until_it_nears_expiry()
    {
        // A fake of its own whose access tokens live 60 s (refreshed after half that), and the token cache as Workers
        // use it, on a clock the test moves: no wall-clock race on a loaded machine. (The fake, like Google, refuses an
        // assertion issued more than 60 s ahead of its own clock: the test clock stays within that.)
        var options = stack.NewFakeOptions();
        options.AccessTokenLifetimeSeconds = 60;
        await using var fake = await PushStack.StartFakeAsync(options);
        var settings = new ConfigurationBuilder()
            .AddInMemoryCollection(stack.WorkersSettings(fake)).Build();
        var pushOptions = settings.GetSection(PushOptions.SectionName).Get<PushOptions>()!;
        var clock = new TestClock();
        using var tokens = new FcmAccessTokens(stack.Workers.Services.GetRequiredService<IHttpClientFactory>(),
            Options.Create(pushOptions), clock, NullLogger<FcmAccessTokens>.Instance);

        var first = await tokens.GetAsync(default);
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(first, await tokens.GetAsync(default));
        Assert.Equal(1, fake.Fcm.TokensIssued);

        clock.Advance(TimeSpan.FromSeconds(15)); // 35 s: past half its life
        var renewed = await tokens.GetAsync(default);
        Assert.NotEqual(first, renewed);
        Assert.Equal(2, fake.Fcm.TokensIssued);
        Assert.Equal(renewed, await tokens.GetAsync(default));
    }

    [Fact]
    public async Task Workers_fetch_one_fcm_access_token_for_many_pushes()
    {
        var (user, client) = await stack.NewUserAsync();
        var token = PushStack.NewFcmToken();
        await RegisterAsync(client, "fcm", token);

        for (var i = 0; i < 3; i++)
            await stack.ProduceAsync(KafkaEnvelope.Create(PushStack.Push(user.Id)), user.Id);

        await Eventually.TrueAsync(() => Fake.Records.All.Count(r => r.Token == token) == 3, "three pushes arrive");
        Assert.Equal(1, Fake.Fcm.TokensIssued);
    }

    [Fact]
    public async Task The_fake_refuses_what_the_services_refuse()
    {
        using var http = new HttpClient();
        var token = await http.PostAsync(Fake.TokenUri, new FormUrlEncodedContent(
            [new("grant_type", FakeFcm.JwtBearerGrant), new("assertion", "e30.e30.c2ln")]));
        Assert.Equal(HttpStatusCode.BadRequest, token.StatusCode);
        Assert.Equal("invalid_grant", (string?)JsonNode.Parse(await token.Content.ReadAsStringAsync())?["error"]);

        var send = await http.PostAsJsonAsync($"{Fake.Url}/v1/projects/{Fake.Options.ProjectId}/messages:send",
            new { message = new { token = PushStack.NewFcmToken() } });
        Assert.Equal(HttpStatusCode.Unauthorized, send.StatusCode);

        using var apns = new HttpRequestMessage(HttpMethod.Post, $"{Fake.ApnsUrl}/3/device/{PushStack.NewApnsToken()}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = JsonContent.Create(new { aps = new { alert = "hi" } }),
        };
        apns.Headers.TryAddWithoutValidation("authorization", "bearer not.a.jwt");
        var refused = await http.SendAsync(apns);
        Assert.Equal((HttpStatusCode.Forbidden, "InvalidProviderToken"),
            (refused.StatusCode, (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())?["reason"]));
    }

    private static async Task RegisterAsync(HttpClient client, string platform, string token)
    {
        var response = await client.PostAsJsonAsync("/api/v1/devices", new { platform, token, appVersion = "2.0.0" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private async Task<PushRecord> OneRecordAsync(string token)
    {
        await Eventually.TrueAsync(() => Fake.Records.All.Any(record => record.Token == token), $"a push reaches {token[..12]}…");
        return Assert.Single(Fake.Records.All, record => record.Token == token);
    }

    private List<string> DeviceTokensOf(Guid userId)
    {
        using var db = stack.Db();
        return [.. db.Devices.Where(d => d.UserId == userId).Select(d => d.Token)];
    }
}
