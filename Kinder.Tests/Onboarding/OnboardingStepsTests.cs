using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core;
using Kinder.Core.Identity;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Onboarding;

/// <summary>Onboarding: the steps, skipping, status and completion.</summary>
public sealed class OnboardingStepsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly object Profile = new
    {
        displayName = "Grace",
        bio = "Debugging since 1947.",
        birthDate = "1985-06-01",
        location = new { latitude = 40.71, longitude = -74.0, city = "New York" },
    };

    private static Dictionary<string, (string State, bool Optional)> Steps(JsonElement status) =>
        status.GetProperty("steps").EnumerateArray().ToDictionary(
            step => step.GetProperty("name").GetString()!,
            step => (step.GetProperty("state").GetString()!, step.GetProperty("optional").GetBoolean()));

    private async Task<(User User, HttpClient Client)> SignedInAsync()
    {
        var user = await api.CreateUserAsync();
        return (user, api.CreateClientFor(user));
    }

    [Fact]
    public async Task A_new_user_has_every_step_pending_in_order()
    {
        var (_, client) = await SignedInAsync();

        var response = await client.GetAsync("/api/v1/users/onboarding/status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = await response.ReadJsonAsync();
        Assert.Equal(["welcome", "profile", "reasons", "weekend", "recharge"],
            status.GetProperty("steps").EnumerateArray().Select(step => step.GetProperty("name").GetString()));
        Assert.All(Steps(status).Values, step => Assert.Equal("pending", step.State));
        Assert.False(status.GetProperty("completed").GetBoolean());
        Assert.Equal("welcome", status.GetProperty("nextStep").GetString());
    }

    [Fact]
    public async Task Welcome_and_profile_are_required_the_rest_optional()
    {
        var (_, client) = await SignedInAsync();

        var steps = Steps(await (await client.GetAsync("/api/v1/users/onboarding/status")).ReadJsonAsync());

        Assert.False(steps["welcome"].Optional);
        Assert.False(steps["profile"].Optional);
        Assert.True(steps["reasons"].Optional);
        Assert.True(steps["weekend"].Optional);
        Assert.True(steps["recharge"].Optional);
    }

    [Fact]
    public async Task Completing_welcome_marks_it_done()
    {
        var (_, client) = await SignedInAsync();

        var response = await client.PutAsync("/api/v1/onboarding/steps/welcome", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = await response.ReadJsonAsync();
        Assert.Equal("done", Steps(status)["welcome"].State);
        Assert.Equal("profile", status.GetProperty("nextStep").GetString());
    }

    [Fact]
    public async Task The_profile_step_saves_the_profile()
    {
        var (user, client) = await SignedInAsync();

        var response = await client.PutAsJsonAsync("/api/v1/onboarding/steps/profile", Profile);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("done", Steps(await response.ReadJsonAsync())["profile"].State);
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var stored = await db.Users.AsNoTracking().SingleAsync(u => u.Id == user.Id);
        Assert.Equal("Grace", stored.DisplayName);
        Assert.Equal(new DateOnly(1985, 6, 1), stored.BirthDate);
        Assert.Equal(-74.0, stored.Location!.X, 6);
        Assert.Equal("New York", stored.City);
    }

    public static TheoryData<string, object?, string> InvalidSteps() => new()
    {
        { "profile", new { displayName = "" }, "displayName" },
        { "profile", new { displayName = "Kid", birthDate = DateTime.UtcNow.AddYears(-10).ToString("yyyy-MM-dd") }, "birthDate" },
        { "profile", new { displayName = "Lost", location = new { latitude = -91, longitude = 0 } }, "location.latitude" },
        { "reasons", new { reasons = Array.Empty<string>() }, "reasons" },
        { "reasons", new { reasons = new[] { "make_friends", "fame" } }, "reasons" },
        { "reasons", new { }, "reasons" },
        { "weekend", new { days = Array.Empty<string>() }, "days" },
        { "weekend", new { days = new[] { "someday" } }, "days" },
        { "weekend", new { days = new[] { "saturday" }, timeSlots = new[] { "midnight_snack" } }, "timeSlots" },
        { "recharge", new { choice = "gold_plated" }, "choice" },
        { "recharge", new { }, "choice" },
    };

    [Theory]
    [MemberData(nameof(InvalidSteps))]
    public async Task A_step_with_invalid_data_is_a_validation_error_naming_the_field(string step, object? data, string field)
    {
        var (_, client) = await SignedInAsync();

        var response = await client.PutAsJsonAsync($"/api/v1/onboarding/steps/{step}", data);

        await response.AssertFieldErrorAsync(field);
        var status = await (await client.GetAsync("/api/v1/users/onboarding/status")).ReadJsonAsync();
        Assert.Equal("pending", Steps(status)[step].State);
    }

    [Fact]
    public async Task The_reasons_step_saves_the_motivations_into_preferences()
    {
        var (_, client) = await SignedInAsync();

        var response = await client.PutAsJsonAsync("/api/v1/onboarding/steps/reasons",
            new { reasons = new[] { "make_friends", "stay_active" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preferences = await (await client.GetAsync("/api/v1/users/preferences")).ReadJsonAsync();
        Assert.Equal(["make_friends", "stay_active"],
            preferences.GetProperty("reasons").EnumerateArray().Select(reason => reason.GetString()));
    }

    [Fact]
    public async Task The_weekend_step_saves_the_availability_into_preferences()
    {
        var (_, client) = await SignedInAsync();

        var response = await client.PutAsJsonAsync("/api/v1/onboarding/steps/weekend",
            new { days = new[] { "friday_evening", "sunday" }, timeSlots = new[] { "afternoon" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var availability = (await (await client.GetAsync("/api/v1/users/preferences")).ReadJsonAsync())
            .GetProperty("availability");
        Assert.Equal(["friday_evening", "sunday"], availability.GetProperty("days").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(["afternoon"], availability.GetProperty("timeSlots").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public async Task The_recharge_step_records_the_choice()
    {
        var (user, client) = await SignedInAsync();

        var response = await client.PutAsJsonAsync("/api/v1/onboarding/steps/recharge", new { choice = "not_now" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var row = await db.OnboardingSteps.AsNoTracking().SingleAsync(s => s.UserId == user.Id && s.Step == "recharge");
        Assert.Equal("""{"choice": "not_now"}""", row.Data);
    }

    [Theory]
    [InlineData("welcome")]
    [InlineData("profile")]
    public async Task Skipping_a_required_step_is_refused(string step)
    {
        var (_, client) = await SignedInAsync();

        var response = await client.PostAsync($"/api/v1/onboarding/steps/{step}/skip", null);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.OnboardingStepRequired);
        var status = await (await client.GetAsync("/api/v1/users/onboarding/status")).ReadJsonAsync();
        Assert.Equal("pending", Steps(status)[step].State);
    }

    [Theory]
    [InlineData("reasons")]
    [InlineData("weekend")]
    [InlineData("recharge")]
    public async Task Skipping_an_optional_step_marks_it_skipped(string step)
    {
        var (_, client) = await SignedInAsync();

        var response = await client.PostAsync($"/api/v1/onboarding/steps/{step}/skip", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("skipped", Steps(await response.ReadJsonAsync())[step].State);
    }

    [Fact]
    public async Task Skipping_a_step_already_done_keeps_it_done()
    {
        var (_, client) = await SignedInAsync();
        await client.PutAsJsonAsync("/api/v1/onboarding/steps/recharge", new { choice = "subscribe" });

        var response = await client.PostAsync("/api/v1/onboarding/steps/recharge/skip", null);

        Assert.Equal("done", Steps(await response.ReadJsonAsync())["recharge"].State);
    }

    [Fact]
    public async Task Skipping_an_unknown_step_is_404()
    {
        var (_, client) = await SignedInAsync();

        var response = await client.PostAsync("/api/v1/onboarding/steps/hobbies/skip", null);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Completing_an_unknown_step_is_404()
    {
        var (_, client) = await SignedInAsync();

        var response = await client.PutAsJsonAsync("/api/v1/onboarding/steps/hobbies", new { });

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Finishing_every_step_completes_onboarding_and_flips_the_users_flag()
    {
        var (_, client) = await SignedInAsync();

        await client.PutAsync("/api/v1/onboarding/steps/welcome", null);
        await client.PutAsJsonAsync("/api/v1/onboarding/steps/profile", Profile);
        await client.PutAsJsonAsync("/api/v1/onboarding/steps/reasons", new { reasons = new[] { "explore_my_city" } });
        await client.PostAsync("/api/v1/onboarding/steps/weekend/skip", null);
        var last = await client.PostAsync("/api/v1/onboarding/steps/recharge/skip", null);

        var status = await last.ReadJsonAsync();
        Assert.True(status.GetProperty("completed").GetBoolean(), status.ToString());
        Assert.False(status.TryGetProperty("nextStep", out _));
        var profile = await (await client.GetAsync("/api/v1/users/profile")).ReadJsonAsync();
        Assert.True(profile.GetProperty("onboardingCompleted").GetBoolean());
    }

    [Fact]
    public async Task Required_steps_alone_do_not_complete_onboarding_while_optional_ones_are_pending()
    {
        var (_, client) = await SignedInAsync();

        await client.PutAsync("/api/v1/onboarding/steps/welcome", null);
        var response = await client.PutAsJsonAsync("/api/v1/onboarding/steps/profile", Profile);

        Assert.False((await response.ReadJsonAsync()).GetProperty("completed").GetBoolean());
        var profile = await (await client.GetAsync("/api/v1/users/profile")).ReadJsonAsync();
        Assert.False(profile.GetProperty("onboardingCompleted").GetBoolean());
    }

    [Fact]
    public async Task Skipping_every_optional_step_without_the_required_ones_does_not_complete_onboarding()
    {
        var (_, client) = await SignedInAsync();

        foreach (var step in new[] { "reasons", "weekend", "recharge" })
        {
            await client.PostAsync($"/api/v1/onboarding/steps/{step}/skip", null);
        }

        var status = await (await client.GetAsync("/api/v1/users/onboarding/status")).ReadJsonAsync();
        Assert.False(status.GetProperty("completed").GetBoolean());
        Assert.Equal("welcome", status.GetProperty("nextStep").GetString());
    }

    [Fact]
    public async Task Concurrent_steps_of_one_user_all_land()
    {
        var (_, client) = await SignedInAsync();

        await Task.WhenAll(
            client.PutAsync("/api/v1/onboarding/steps/welcome", null),
            client.PutAsJsonAsync("/api/v1/onboarding/steps/profile", Profile),
            client.PostAsync("/api/v1/onboarding/steps/reasons/skip", null),
            client.PostAsync("/api/v1/onboarding/steps/weekend/skip", null),
            client.PostAsync("/api/v1/onboarding/steps/recharge/skip", null));

        var status = await (await client.GetAsync("/api/v1/users/onboarding/status")).ReadJsonAsync();
        Assert.True(status.GetProperty("completed").GetBoolean(), status.ToString());
    }

    [Theory]
    [InlineData("PUT", "/api/v1/onboarding/steps/welcome")]
    [InlineData("POST", "/api/v1/onboarding/steps/recharge/skip")]
    [InlineData("GET", "/api/v1/users/onboarding/status")]
    [InlineData("POST", "/api/v1/onboarding/preferences")]
    public async Task Onboarding_needs_a_token(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) };

        var response = await api.CreateClient().SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }
}
