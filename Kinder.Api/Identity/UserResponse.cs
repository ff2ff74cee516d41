using Kinder.Core.Identity;
using Kinder.Core.Storage;

namespace Kinder.Api.Identity;

public sealed record LocationResponse(double Latitude, double Longitude, string? City);

/// <summary>The <c>user</c> object — what a user sees of their own account.</summary>
public sealed record UserResponse(
    Guid Id,
    string Email,
    string DisplayName,
    bool EmailVerified,
    string? AvatarUrl,
    string? Bio,
    LocationResponse? Location,
    IReadOnlyList<string> Roles,
    bool OnboardingCompleted,
    DateTimeOffset CreatedAt)
{
    public static UserResponse From(User user, StorageOptions storage) => new(
        user.Id,
        user.Email,
        user.DisplayName,
        user.EmailVerified,
        storage.UrlFor(user.AvatarKey),
        user.Bio,
        user.Location is null ? null : new LocationResponse(user.Location.Y, user.Location.X, user.City),
        user.Roles,
        user.OnboardingCompletedAt is not null,
        user.CreatedAt);
}

/// <summary>
/// What sign-up and every sign-in answer: the user and a fresh token pair. In cookie mode the refresh
/// token travels only in its HttpOnly cookie (<see cref="RefreshToken"/> is null) and <see cref="CsrfToken"/> is the
/// value to send back in the CSRF header.
/// </summary>
public sealed record AuthSessionResponse(UserResponse User, string AccessToken, string? RefreshToken, int ExpiresIn)
{
    public string? CsrfToken { get; init; }
}

/// <summary>What a refresh answers: the rotated pair (in cookie mode, as for <see cref="AuthSessionResponse"/>).</summary>
public sealed record TokenPairResponse(string AccessToken, string? RefreshToken, int ExpiresIn)
{
    public string? CsrfToken { get; init; }
}
