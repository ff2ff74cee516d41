using Kinder.Core.Identity;
using NetTopologySuite.Geometries;

namespace Kinder.Api.Profiles;

/// <summary>The profile's limits, and how a valid request changes the user.</summary>
public static class ProfileRules
{
    public const int MinimumAge = 13;
    public const int MaximumAge = 120;
    public const int MaxCityLength = 120;

    public static void Apply(UpdateProfileRequest request, User user, DateTimeOffset now)
    {
        user.DisplayName = request.DisplayName!.Trim();
        user.Bio = Blank(request.Bio);
        user.BirthDate = request.BirthDate;
        user.Location = request.Location is { Latitude: { } latitude, Longitude: { } longitude }
            ? new Point(longitude, latitude) { SRID = 4326 }
            : null;
        user.City = request.Location is null ? null : Blank(request.Location.City);
        user.UpdatedAt = now;
    }

    public static int AgeOn(DateOnly birthDate, DateOnly today)
    {
        var age = today.Year - birthDate.Year;
        return birthDate > today.AddYears(-age) ? age - 1 : age;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
