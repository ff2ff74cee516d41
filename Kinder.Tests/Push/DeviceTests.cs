using System.Net;
using System.Net.Http.Json;
using Kinder.Core.Devices;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Push;

/// <summary><c>POST /devices</c> and <c>DELETE /devices/{token}</c>: register, re-register, move, deregister.</summary>
public sealed class DeviceTests(PushStack stack) : IClassFixture<PushStack>
{
    [Fact]
    public async Task A_new_token_is_created_the_same_again_is_ok_and_another_user_registering_it_takes_it_over()
    {
        var (ana, anaClient) = await stack.NewUserAsync();
        var (bruno, brunoClient) = await stack.NewUserAsync();
        var token = PushStack.NewApnsToken().ToUpperInvariant();

        var created = await anaClient.PostAsJsonAsync("/api/v1/devices", new { platform = "apns", token, appVersion = "1.4.0" });
        var again = await anaClient.PostAsJsonAsync("/api/v1/devices", new { platform = "apns", token = token.ToLowerInvariant() });
        var moved = await brunoClient.PostAsJsonAsync("/api/v1/devices", new { platform = "apns", token, appVersion = "1.5.0" });

        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var body = await created.ReadJsonAsync();
        Assert.Equal(("apns", token.ToLowerInvariant(), "1.4.0"),
            (body.GetProperty("platform").GetString(), body.GetProperty("token").GetString(), body.GetProperty("appVersion").GetString()));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(body.GetProperty("id").GetGuid(), (await moved.ReadJsonAsync()).GetProperty("id").GetGuid());
        await using var db = stack.Db();
        var device = await db.Devices.SingleAsync(d => d.Token == token.ToLowerInvariant());
        Assert.Equal((bruno.Id, DevicePlatform.Apns, "1.5.0"), (device.UserId, device.Platform, device.AppVersion));
        Assert.False(await db.Devices.AnyAsync(d => d.UserId == ana.Id));
    }

    [Fact]
    public async Task Only_the_owner_deregisters_a_token()
    {
        var (owner, ownerClient) = await stack.NewUserAsync();
        var (_, otherClient) = await stack.NewUserAsync();
        var token = PushStack.NewFcmToken();
        Assert.Equal(HttpStatusCode.Created,
            (await ownerClient.PostAsJsonAsync("/api/v1/devices", new { platform = "fcm", token })).StatusCode);

        var byOther = await otherClient.DeleteAsync($"/api/v1/devices/{Uri.EscapeDataString(token)}");
        await byOther.AssertProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await using (var db = stack.Db())
            Assert.True(await db.Devices.AnyAsync(d => d.Token == token && d.UserId == owner.Id));

        var byOwner = await ownerClient.DeleteAsync($"/api/v1/devices/{Uri.EscapeDataString(token)}");
        Assert.Equal(HttpStatusCode.NoContent, byOwner.StatusCode);
        await using (var db = stack.Db())
            Assert.False(await db.Devices.AnyAsync(d => d.Token == token));
        var twice = await ownerClient.DeleteAsync($"/api/v1/devices/{Uri.EscapeDataString(token)}");
        Assert.Equal(HttpStatusCode.NotFound, twice.StatusCode);
    }

    [Theory]
    [InlineData("apns", "not-hex-and-too-short", "token")]
    [InlineData("apns", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg", "token")]
    [InlineData("fcm", "has spaces in it which fcm never sends", "token")]
    [InlineData("fcm", "", "token")]
    [InlineData("sms", "0123456789abcdef0123456789abcdef", "platform")]
    public async Task A_malformed_registration_names_the_field(string platform, string token, string field)
    {
        var (_, client) = await stack.NewUserAsync();

        var response = await client.PostAsJsonAsync("/api/v1/devices", new { platform, token });

        await response.AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task Devices_need_a_signed_in_user()
    {
        var response = await stack.Api.CreateClient().PostAsJsonAsync("/api/v1/devices",
            new { platform = "fcm", token = PushStack.NewFcmToken() });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
