using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Api.Profiles;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Preferences;
using Kinder.Core.Profiles;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Preferences;

/// <summary>Preferences: the typed view over <c>user_preferences</c>.</summary>
public static class PreferencesApi
{
    public static IEndpointRouteBuilder MapPreferencesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/users/preferences").WithTags("Preferences").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapGet("/", GetPreferences)
            .WithName("GetPreferences")
            .WithSummary("The caller's interests, notification, privacy and location settings, motivations and availability.");
        group.MapPut("/", UpdatePreferences)
            .WithName("UpdatePreferences")
            .WithSummary("Replace the sections given; the others stay as they are.")
            .ProducesValidationProblem();
        return app;
    }

    public static async Task<Ok<UserPreferences>> GetPreferences(ClaimsPrincipal principal,
        UserPreferenceStore preferences, CancellationToken cancellationToken) =>
        TypedResults.Ok(await preferences.GetAsync(principal.GetUserId(), cancellationToken));

    public static async Task<Results<Ok<UserPreferences>, ValidationProblem, ProblemHttpResult>> UpdatePreferences(
        UpdatePreferencesRequest request, ClaimsPrincipal principal, KinderDbContext db, UserPreferenceStore preferences,
        CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var saved = await db.InTransactionAsync(async token =>
        {
            if (await db.LockActiveUserAsync(userId, token) is null)
            {
                return false;
            }
            if (request.Interests is { } interests)
            {
                await preferences.SetAsync(userId, PreferenceKeys.Interests, interests.Distinct().ToList(), token);
            }
            if (request.Notifications is { } notifications)
            {
                await preferences.SetAsync(userId, PreferenceKeys.Notifications, notifications, token);
            }
            if (request.Privacy is { } privacy)
            {
                await preferences.SetAsync(userId, PreferenceKeys.Privacy,
                    privacy with { ProfileVisibility = privacy.ProfileVisibility.ToLowerInvariant() }, token);
            }
            if (request.Location is { } location)
            {
                await preferences.SetAsync(userId, PreferenceKeys.Location, location, token);
            }
            if (request.Reasons is { } reasons)
            {
                await preferences.SetAsync(userId, PreferenceKeys.Reasons, PreferenceRules.Normalize(reasons), token);
            }
            if (request.Availability is { } availability)
            {
                await preferences.SetAsync(userId, PreferenceKeys.Availability, PreferenceRules.Normalize(availability), token);
            }
            await db.SaveChangesAsync(token);
            return true;
        }, cancellationToken);
        return saved ? TypedResults.Ok(await preferences.GetAsync(userId, cancellationToken)) : CurrentUser.Gone();
    }
}
