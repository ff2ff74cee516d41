using Kinder.Core.Data;
using Kinder.Core.PersonalData;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Identity;

public sealed record AccountExport(
    Guid Id,
    string Email,
    string DisplayName,
    bool EmailVerified,
    DateTimeOffset? EmailVerifiedAt,
    bool HasPassword,
    string? GoogleSubject,
    string? Bio,
    DateOnly? BirthDate,
    double? Latitude,
    double? Longitude,
    string? City,
    string? AvatarKey,
    IReadOnlyList<string> Roles,
    DateTimeOffset? OnboardingCompletedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeletedAt);

/// <summary>
/// The users row: exported whole except the password hash (only whether there is one); erased by anonymising it in
/// place, since other tables keep pointing at the id (a deleted organizer's past events, say).
/// </summary>
public sealed class AccountPersonalDataSource(KinderDbContext db, TimeProvider time) : IPersonalDataSource
{
    public const string DeletedDisplayName = "Deleted user";

    public string Section => "account";

    public static string DeletedEmail(Guid userId) => $"deleted-{userId}@deleted.invalid";

    public async Task<object?> ExportAsync(Guid userId, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        return user is null
            ? null
            : new AccountExport(user.Id, user.Email, user.DisplayName, user.EmailVerified, user.EmailVerifiedAt,
                user.PasswordHash is not null, user.GoogleSubject, user.Bio, user.BirthDate, user.Location?.Y,
                user.Location?.X, user.City, user.AvatarKey, user.Roles, user.OnboardingCompletedAt, user.CreatedAt,
                user.UpdatedAt, user.DeletedAt);
    }

    public async Task EraseAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(user => user
            .SetProperty(u => u.Email, DeletedEmail(userId))
            .SetProperty(u => u.DisplayName, DeletedDisplayName)
            .SetProperty(u => u.PasswordHash, (string?)null)
            .SetProperty(u => u.EmailVerified, false)
            .SetProperty(u => u.EmailVerifiedAt, (DateTimeOffset?)null)
            .SetProperty(u => u.GoogleSubject, (string?)null)
            .SetProperty(u => u.Bio, (string?)null)
            .SetProperty(u => u.BirthDate, (DateOnly?)null)
            .SetProperty(u => u.Location, (NetTopologySuite.Geometries.Point?)null)
            .SetProperty(u => u.City, (string?)null)
            .SetProperty(u => u.AvatarKey, (string?)null)
            .SetProperty(u => u.Roles, new List<string>())
            .SetProperty(u => u.OnboardingCompletedAt, (DateTimeOffset?)null)
            .SetProperty(u => u.UpdatedAt, now)
            // Normally set by the request already; kept set here so an erased row can never look live.
            .SetProperty(u => u.DeletedAt, u => u.DeletedAt ?? now), cancellationToken);
    }
}
