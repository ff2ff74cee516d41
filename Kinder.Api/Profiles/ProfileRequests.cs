namespace Kinder.Api.Profiles;

/// <summary>
/// <c>PUT /users/profile</c> and onboarding's profile step. Replaces the profile: a missing bio, birth date or
/// location clears it.
/// </summary>
public sealed record UpdateProfileRequest(string? DisplayName, string? Bio, DateOnly? BirthDate, LocationRequest? Location);

public sealed record LocationRequest(double? Latitude, double? Longitude, string? City);
