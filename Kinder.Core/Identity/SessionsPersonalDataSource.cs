using Kinder.Core.Data;
using Kinder.Core.PersonalData;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Identity;

public sealed record SessionExport(
    Guid Id,
    Guid FamilyId,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    string? RevokedReason);

/// <summary>Refresh tokens as sessions: when each was issued, expires or was revoked; never the hash.</summary>
public sealed class SessionsPersonalDataSource(KinderDbContext db) : IPersonalDataSource
{
    public string Section => "sessions";

    public async Task<object?> ExportAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.RefreshTokens.AsNoTracking()
            .Where(token => token.UserId == userId)
            .OrderBy(token => token.CreatedAt)
            .Select(token => new SessionExport(token.Id, token.FamilyId, token.CreatedAt, token.ExpiresAt,
                token.RevokedAt, token.RevokedReason))
            .ToListAsync(cancellationToken);

    /// <summary>Deleting a user revokes every token first; afterwards the rows are only history, and go.</summary>
    public Task EraseAsync(Guid userId, CancellationToken cancellationToken) =>
        db.RefreshTokens.Where(token => token.UserId == userId).ExecuteDeleteAsync(cancellationToken);
}
