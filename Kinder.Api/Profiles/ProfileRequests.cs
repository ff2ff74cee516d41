using System.ComponentModel.DataAnnotations;
using Kinder.Core.Identity;

namespace Kinder.Api.Profiles;

/// <summary>
/// <c>PUT /users/profile</c> and onboarding's profile step. Replaces the profile: a missing bio, birth date or
/// location clears it.
/// </summary>
public sealed record UpdateProfileRequest(
    [property: Required, StringLength(UserEntityTypeConfiguration.MaxDisplayNameLength)] string? DisplayName,
    [property: StringLength(UserEntityTypeConfiguration.MaxBioLength)] string? Bio,
    DateOnly? BirthDate,
    LocationRequest? Location);

public sealed record LocationRequest(
    [property: Required, Range(-90.0, 90.0)] double? Latitude,
    [property: Required, Range(-180.0, 180.0)] double? Longitude,
    [property: StringLength(ProfileRules.MaxCityLength)] string? City);
