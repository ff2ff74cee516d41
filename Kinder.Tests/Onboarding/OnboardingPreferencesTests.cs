using System.Net;
using System.Net.Http.Json;
using Kinder.Core;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Onboarding;

/// <summary>Onboarding: <c>POST /onboarding/preferences</c> saves interests, motivations and availability.</summary>
public sealed class OnboardingPreferencesTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Saves_interests_reasons_and_availability_in_one_call()
    {
        var client = api.CreateClientFor(await api.CreateUserAsync());

        var response = await client.PostAsJsonAsync("/api/v1/onboarding/preferences", new
        {
            interestIds = new[] { 302, 401, 401 },
            reasons = new[] { "meet_new_people" },
            availability = new { days = new[] { "saturday" }, timeSlots = new[] { "evening" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preferences = await (await client.GetAsync("/api/v1/users/preferences")).ReadJsonAsync();
        Assert.Equal([302, 401], preferences.GetProperty("interests").EnumerateArray().Select(i => i.GetInt32()));
        Assert.Equal(["meet_new_people"], preferences.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["saturday"],
            preferences.GetProperty("availability").GetProperty("days").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public async Task Marks_the_reasons_and_weekend_steps_done()
    {
        var client = api.CreateClientFor(await api.CreateUserAsync());

        await client.PostAsJsonAsync("/api/v1/onboarding/preferences", new
        {
            interestIds = new[] { 101 },
            reasons = new[] { "give_back" },
            availability = new { days = new[] { "sunday" } },
        });

        var steps = (await (await client.GetAsync("/api/v1/users/onboarding/status")).ReadJsonAsync())
            .GetProperty("steps").EnumerateArray()
            .ToDictionary(step => step.GetProperty("name").GetString()!, step => step.GetProperty("state").GetString());
        Assert.Equal("done", steps["reasons"]);
        Assert.Equal("done", steps["weekend"]);
        Assert.Equal("pending", steps["recharge"]);
    }

    [Fact]
    public async Task Saving_the_last_pending_steps_through_preferences_completes_onboarding()
    {
        var client = api.CreateClientFor(await api.CreateUserAsync());
        await client.PutAsync("/api/v1/onboarding/steps/welcome", null);
        await client.PutAsJsonAsync("/api/v1/onboarding/steps/profile", new { displayName = "Lin" });
        await client.PostAsync("/api/v1/onboarding/steps/recharge/skip", null);

        await client.PostAsJsonAsync("/api/v1/onboarding/preferences", new
        {
            interestIds = new[] { 804 },
            reasons = new[] { "learn_skills" },
            availability = new { days = new[] { "weekday_evenings" } },
        });

        var profile = await (await client.GetAsync("/api/v1/users/profile")).ReadJsonAsync();
        Assert.True(profile.GetProperty("onboardingCompleted").GetBoolean());
    }

    [Fact]
    public async Task Interests_alone_leave_the_steps_as_they_were()
    {
        var client = api.CreateClientFor(await api.CreateUserAsync());

        var response = await client.PostAsJsonAsync("/api/v1/onboarding/preferences", new { interestIds = new[] { 101 } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = await (await client.GetAsync("/api/v1/users/onboarding/status")).ReadJsonAsync();
        Assert.All(status.GetProperty("steps").EnumerateArray(),
            step => Assert.Equal("pending", step.GetProperty("state").GetString()));
    }

    public static TheoryData<string, object> InvalidRequests() => new()
    {
        { "interestIds", new { reasons = new[] { "make_friends" } } },
        { "interestIds", new { interestIds = Array.Empty<int>() } },
        { "interestIds", new { interestIds = new[] { 12345 } } },
        { "reasons", new { interestIds = new[] { 101 }, reasons = new[] { "boredom" } } },
        { "reasons", new { interestIds = new[] { 101 }, reasons = Array.Empty<string>() } },
        { "availability.days", new { interestIds = new[] { 101 }, availability = new { days = new[] { "tuesday_lunch" } } } },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task An_invalid_request_is_a_validation_error_naming_the_field(string field, object request)
    {
        var client = api.CreateClientFor(await api.CreateUserAsync());

        var response = await client.PostAsJsonAsync("/api/v1/onboarding/preferences", request);

        await response.AssertFieldErrorAsync(field);
    }
}
