using Kinder.Core.Data;
using Kinder.Core.PersonalData;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Identity;

/// <summary>The user's sign-in sessions (refresh tokens) and emailed links (account tokens): when, not the secrets.</summary>
public sealed class SessionsPersonalDataSource(KinderDbContext db) : IPersonalDataSource
{
    public string Section => "sessions";

    public async Task<object?> ExportAsync(Guid userId, CancellationToken cancellationToken)
    {
        var sessions = await db.RefreshTokens.AsNoTracking()
            .Where(t => t.UserId == userId)
            .OrderBy(t => t.CreatedAt)
            .Select(t => new { t.FamilyId, t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.RevokedReason })
            .ToListAsync(cancellationToken);
        var emailedLinks = await db.AccountTokens.AsNoTracking()
            .Where(t => t.UserId == userId)
            .OrderBy(t => t.CreatedAt)
            .Select(t => new { Purpose = t.Purpose.ToString(), t.CreatedAt, t.ExpiresAt, t.UsedAt })
            .ToListAsync(cancellationToken);
        return sessions.Count == 0 && emailedLinks.Count == 0 ? null : new { refreshTokens = sessions, emailedLinks };
    }

    /// <summary>Deleting the rows ends every session and kills every emailed link of the account.</summary>
    public async Task EraseAsync(Guid userId, CancellationToken cancellationToken)
    {
        await db.RefreshTokens.Where(t => t.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.AccountTokens.Where(t => t.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }
}
