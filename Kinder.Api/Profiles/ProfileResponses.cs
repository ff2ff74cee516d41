using Kinder.Api.Identity;
using Kinder.Api.Onboarding;
using Kinder.Core.Identity;
using Kinder.Core.Storage;

namespace Kinder.Api.Profiles;

/// <summary>The caller's own profile: the <c>user</c> object plus the fields only the owner sees.</summary>
public sealed record ProfileResponse(
    Guid Id,
    string Email,
    string DisplayName,
    bool EmailVerified,
    string? AvatarUrl,
    string? Bio,
    LocationResponse? Location,
    IReadOnlyList<string> Roles,
    bool OnboardingCompleted,
    DateTimeOffset CreatedAt,
    DateOnly? BirthDate)
{
    public static ProfileResponse From(User user, StorageOptions storage)
    {
        var common = UserResponse.From(user, storage);
        return new ProfileResponse(common.Id, common.Email, common.DisplayName, common.EmailVerified, common.AvatarUrl,
            common.Bio, common.Location, common.Roles, common.OnboardingCompleted, common.CreatedAt, user.BirthDate);
    }
}

/// <summary>
/// What other users see (<c>GET /users/{id}</c>): never the email, coordinates or birth date; city, age and interests
/// only as the owner's privacy settings allow.
/// </summary>
public sealed record PublicProfileResponse(
    Guid Id,
    string DisplayName,
    string? AvatarUrl,
    string? Bio,
    string? City,
    int? Age,
    IReadOnlyList<InterestResponse>? Interests,
    DateTimeOffset MemberSince);
