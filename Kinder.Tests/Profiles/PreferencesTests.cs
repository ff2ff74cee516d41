using System.Net;
using System.Net.Http.Json;
using Kinder.Core;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Profiles;

/// <summary>Preferences: <c>GET/PUT /users/preferences</c> over the <c>user_preferences</c> table.</summary>
public sealed class PreferencesTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_new_user_gets_the_defaults()
    {
        var user = await api.CreateUserAsync();

        var response = await api.CreateClientFor(user).GetAsync("/api/v1/users/preferences");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(0, body.GetProperty("interests").GetArrayLength());
        Assert.Equal(25, body.GetProperty("location").GetProperty("radiusKm").GetInt32());
        Assert.Equal("everyone", body.GetProperty("privacy").GetProperty("profileVisibility").GetString());
        Assert.True(body.GetProperty("privacy").GetProperty("showCity").GetBoolean());
        Assert.True(body.GetProperty("notifications").GetProperty("push").GetProperty("messages").GetBoolean());
        Assert.False(body.GetProperty("notifications").GetProperty("email").GetProperty("productNews").GetBoolean());
    }

    [Fact]
    public async Task Put_replaces_the_sections_given_and_keeps_the_others()
    {
        var user = await api.CreateUserAsync();
        var client = api.CreateClientFor(user);
        await client.PutAsJsonAsync("/api/v1/users/preferences", new { interests = new[] { 101, 102 } });

        var response = await client.PutAsJsonAsync("/api/v1/users/preferences", new
        {
            location = new { radiusKm = 80 },
            notifications = new { push = new { messages = false }, email = new { productNews = true } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await (await client.GetAsync("/api/v1/users/preferences")).ReadJsonAsync();
        Assert.Equal([101, 102], body.GetProperty("interests").EnumerateArray().Select(i => i.GetInt32()));
        Assert.Equal(80, body.GetProperty("location").GetProperty("radiusKm").GetInt32());
        var push = body.GetProperty("notifications").GetProperty("push");
        Assert.False(push.GetProperty("messages").GetBoolean());
        Assert.True(push.GetProperty("eventReminders").GetBoolean()); // left out of the section: its default
        Assert.True(body.GetProperty("notifications").GetProperty("email").GetProperty("productNews").GetBoolean());
    }

    [Fact]
    public async Task Preferences_are_stored_as_json_rows_per_section()
    {
        var user = await api.CreateUserAsync();

        await api.CreateClientFor(user).PutAsJsonAsync("/api/v1/users/preferences",
            new { interests = new[] { 501 }, location = new { radiusKm = 10 } });

        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var rows = await db.UserPreferences.AsNoTracking().Where(p => p.UserId == user.Id).OrderBy(p => p.Key).ToListAsync();
        Assert.Equal(["interests", "location"], rows.Select(r => r.Key));
        Assert.Equal("[501]", rows[0].Value);
        Assert.Equal("""{"radiusKm": 10}""", rows[1].Value);
    }

    public static TheoryData<string, object> InvalidPreferences() => new()
    {
        { "interests", new { interests = new[] { 101, 99999 } } },
        { "location.radiusKm", new { location = new { radiusKm = 0 } } },
        { "location.radiusKm", new { location = new { radiusKm = 501 } } },
        { "privacy.profileVisibility", new { privacy = new { profileVisibility = "friends" } } },
        { "reasons", new { reasons = new[] { "world_domination" } } },
        { "availability.days", new { availability = new { days = new[] { "caturday" } } } },
        { "availability.timeSlots", new { availability = new { days = new[] { "sunday" }, timeSlots = new[] { "teatime" } } } },
        { "notifications.push", new { notifications = new { push = (object?)null } } },
    };

    [Theory]
    [MemberData(nameof(InvalidPreferences))]
    public async Task Put_with_an_invalid_section_is_a_validation_error_naming_the_field(string field, object preferences)
    {
        var user = await api.CreateUserAsync();

        var response = await api.CreateClientFor(user).PutAsJsonAsync("/api/v1/users/preferences", preferences);

        var body = await response.AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task An_invalid_put_changes_nothing()
    {
        var user = await api.CreateUserAsync();
        var client = api.CreateClientFor(user);

        await client.PutAsJsonAsync("/api/v1/users/preferences",
            new { interests = new[] { 101 }, location = new { radiusKm = 501 } });

        var body = await (await client.GetAsync("/api/v1/users/preferences")).ReadJsonAsync();
        Assert.Equal(0, body.GetProperty("interests").GetArrayLength());
    }

    [Fact]
    public async Task Get_preferences_without_a_token_is_401()
    {
        var response = await api.CreateClient().GetAsync("/api/v1/users/preferences");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task Put_preferences_without_a_token_is_401()
    {
        var response = await api.CreateClient().PutAsJsonAsync("/api/v1/users/preferences", new { interests = new[] { 101 } });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task Put_preferences_for_a_deleted_account_is_401()
    {
        var user = await api.CreateUserAsync(u => u.DeletedAt = DateTimeOffset.UtcNow);

        var response = await api.CreateClientFor(user).PutAsJsonAsync("/api/v1/users/preferences",
            new { interests = new[] { 101 } });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }
}
