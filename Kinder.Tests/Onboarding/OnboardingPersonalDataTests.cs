using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core.PersonalData;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Onboarding;

/// <summary>Preferences and onboarding take part in export and deletion through their personal data sources.</summary>
public sealed class OnboardingPersonalDataTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<Guid> OnboardedUserAsync()
    {
        var user = await api.CreateUserAsync();
        var client = api.CreateClientFor(user);
        await client.PostAsJsonAsync("/api/v1/onboarding/preferences", new
        {
            interestIds = new[] { 701 },
            reasons = new[] { "stay_active" },
            availability = new { days = new[] { "saturday" } },
        });
        await client.PutAsJsonAsync("/api/v1/onboarding/steps/recharge", new { choice = "buy_credits" });
        return user.Id;
    }

    private IPersonalDataSource Source(IServiceScope scope, string section) =>
        scope.ServiceProvider.GetServices<IPersonalDataSource>().Single(source => source.Section == section);

    [Fact]
    public async Task The_export_holds_every_preference_section_the_user_set()
    {
        var userId = await OnboardedUserAsync();
        using var scope = api.Services.CreateScope();

        var export = await Source(scope, "preferences").ExportAsync(userId, CancellationToken.None);

        var json = JsonSerializer.SerializeToElement(export, JsonSerializerOptions.Web);
        Assert.Equal(701, json.GetProperty("interests")[0].GetInt32());
        Assert.Equal("stay_active", json.GetProperty("reasons")[0].GetString());
        Assert.Equal("saturday", json.GetProperty("availability").GetProperty("days")[0].GetString());
    }

    [Fact]
    public async Task The_export_holds_the_onboarding_steps_and_the_recharge_choice()
    {
        var userId = await OnboardedUserAsync();
        using var scope = api.Services.CreateScope();

        var export = await Source(scope, "onboarding").ExportAsync(userId, CancellationToken.None);

        var steps = JsonSerializer.SerializeToElement(export, JsonSerializerOptions.Web).EnumerateArray()
            .ToDictionary(step => step.GetProperty("step").GetString()!);
        Assert.Equal("done", steps["reasons"].GetProperty("state").GetString());
        Assert.Equal("buy_credits", steps["recharge"].GetProperty("data").GetProperty("choice").GetString());
    }

    [Fact]
    public async Task A_user_without_preferences_or_progress_exports_nothing()
    {
        var user = await api.CreateUserAsync();
        using var scope = api.Services.CreateScope();

        Assert.Null(await Source(scope, "preferences").ExportAsync(user.Id, CancellationToken.None));
        Assert.Null(await Source(scope, "onboarding").ExportAsync(user.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Erasing_deletes_the_rows_and_is_safe_to_repeat()
    {
        var userId = await OnboardedUserAsync();
        var other = await OnboardedUserAsync();
        using var scope = api.Services.CreateScope();

        foreach (var section in new[] { "preferences", "onboarding" })
        {
            await Source(scope, section).EraseAsync(userId, CancellationToken.None);
            await Source(scope, section).EraseAsync(userId, CancellationToken.None);
        }

        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        Assert.False(await db.UserPreferences.AnyAsync(p => p.UserId == userId));
        Assert.False(await db.OnboardingSteps.AnyAsync(s => s.UserId == userId));
        Assert.True(await db.UserPreferences.AnyAsync(p => p.UserId == other));
        Assert.True(await db.OnboardingSteps.AnyAsync(s => s.UserId == other));
    }
}
