using NetTopologySuite.Geometries;

namespace Kinder.Core.Identity;

/// <summary>A Kinder account. Email is compared case-insensitively (citext); times are UTC.</summary>
public sealed class User
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Email { get; set; }
    public required string DisplayName { get; set; }

    /// <summary>bcrypt hash; null for accounts that only ever signed in with Google.</summary>
    public string? PasswordHash { get; set; }

    public bool EmailVerified { get; set; }
    public DateTimeOffset? EmailVerifiedAt { get; set; }
    public string? GoogleSubject { get; set; }

    public string? Bio { get; set; }
    public DateOnly? BirthDate { get; set; }

    /// <summary>WGS 84 point (SRID 4326), stored as PostGIS geography.</summary>
    public Point? Location { get; set; }
    public string? City { get; set; }

    /// <summary>Storage key of the 512 px avatar; the thumbnail key is derived from it.</summary>
    public string? AvatarKey { get; set; }

    public List<string> Roles { get; set; } = [KinderRoles.User];

    /// <summary>Set when every required onboarding step is done or skipped.</summary>
    public DateTimeOffset? OnboardingCompletedAt { get; set; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>
    /// While in the future, the account is suspended: every token refused (<c>401 ACCOUNT_SUSPENDED</c>), sign-in too,
    /// upcoming events they organise hidden (<see cref="Moderation.UserSanctions"/>). Kept after it passes, as history.
    /// </summary>
    public DateTimeOffset? SuspendedUntil { get; set; }

    /// <summary>Set while the account is banned: a suspension without an end, lifted only by reinstatement.</summary>
    public DateTimeOffset? BannedAt { get; set; }

    /// <summary>Set when the user asked to be deleted; the account is unusable from then on and a worker erases it.</summary>
    public DateTimeOffset? DeletedAt { get; set; }
}
