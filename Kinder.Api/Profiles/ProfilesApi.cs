using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Api.Onboarding;
using Kinder.Core.Chat;
using Kinder.Core.Identity;
using Kinder.Core.Preferences;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Profiles;

/// <summary>Profiles: the caller's own profile and other users' public profiles.</summary>
public static class ProfilesApi
{
    public static IEndpointRouteBuilder MapProfilesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/users").WithTags("Profile").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapGet("/profile", GetProfile)
            .WithName("GetProfile")
            .WithSummary("The caller's own profile.");
        group.MapPut("/profile", UpdateProfile)
            .WithName("UpdateProfile")
            .WithSummary("Replace the caller's display name, bio, birth date and location.")
            .ProducesValidationProblem();
        group.MapGet("/{id:guid}", GetPublicProfile)
            .WithName("GetPublicProfile")
            .WithSummary("Another user's public profile, as far as their privacy settings allow; hidden or unknown is 404.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Ok<ProfileResponse>, ProblemHttpResult>> GetProfile(ClaimsPrincipal principal,
        ProfileServices services, CancellationToken cancellationToken)
    {
        var user = await services.Db.FindCurrentUserAsync(principal, cancellationToken);
        return user is null ? CurrentUser.Gone() : TypedResults.Ok(ProfileResponse.From(user, services.Storage.Value));
    }

    public static async Task<Results<Ok<ProfileResponse>, ValidationProblem, ProblemHttpResult>> UpdateProfile(
        UpdateProfileRequest request, ClaimsPrincipal principal, ProfileServices services,
        CancellationToken cancellationToken)
    {
        var now = services.Time.GetUtcNow();
        var user = await services.Db.FindCurrentUserAsync(principal, cancellationToken);
        if (user is null)
        {
            return CurrentUser.Gone();
        }
        ProfileRules.Apply(request, user, now);
        await services.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ProfileResponse.From(user, services.Storage.Value));
    }

    public static async Task<Results<Ok<PublicProfileResponse>, ProblemHttpResult>> GetPublicProfile(Guid id,
        ClaimsPrincipal principal, ProfileServices services, CancellationToken cancellationToken)
    {
        var user = await services.Db.Users.AsNoTracking()
            .FirstOrDefaultAsync(candidate => candidate.Id == id && candidate.DeletedAt == null, cancellationToken);
        if (user is null)
        {
            return Problems.NotFound();
        }
        // The owner sees everything; the privacy settings are about everyone else.
        var isOwner = principal.GetUserId() == user.Id;
        // A block hides the two from each other, like a profile that does not exist.
        if (!isOwner && await services.Db.BetweenAsync(principal.GetUserId(), user.Id, cancellationToken))
        {
            return Problems.NotFound();
        }
        var privacy = await services.Preferences.GetAsync(user.Id, PreferenceKeys.Privacy, new PrivacySettings(),
            cancellationToken);
        if (!isOwner && privacy.ProfileVisibility == PrivacySettings.Nobody)
        {
            return Problems.NotFound();
        }

        IReadOnlyList<InterestResponse>? interests = null;
        if (isOwner || privacy.ShowInterests)
        {
            var ids = await services.Preferences.GetAsync<List<int>>(user.Id, PreferenceKeys.Interests, [], cancellationToken);
            interests = await services.Db.Interests.AsNoTracking()
                .Where(interest => ids.Contains(interest.Id))
                .OrderBy(interest => interest.Id)
                .Select(interest => InterestResponse.From(interest))
                .ToListAsync(cancellationToken);
        }
        var today = DateOnly.FromDateTime(services.Time.GetUtcNow().UtcDateTime);
        return TypedResults.Ok(new PublicProfileResponse(
            user.Id,
            user.DisplayName,
            services.Storage.Value.UrlFor(user.AvatarKey),
            user.Bio,
            isOwner || privacy.ShowCity ? user.City : null,
            (isOwner || privacy.ShowAge) && user.BirthDate is { } birthDate ? ProfileRules.AgeOn(birthDate, today) : null,
            interests,
            user.CreatedAt));
    }
}
