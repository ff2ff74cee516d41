using Kinder.Core.Data;
using Kinder.Core.PersonalData;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Calendar;

/// <summary>The user's calendar feed: when it was made (never the secret); erased with the account.</summary>
public sealed class CalendarPersonalDataSource(KinderDbContext db) : IPersonalDataSource
{
    public string Section => "calendarFeed";

    public async Task<object?> ExportAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.CalendarFeeds.AsNoTracking().Where(f => f.UserId == userId)
            .Select(f => new { f.CreatedAt })
            .FirstOrDefaultAsync(cancellationToken);

    public Task EraseAsync(Guid userId, CancellationToken cancellationToken) =>
        db.CalendarFeeds.Where(f => f.UserId == userId).ExecuteDeleteAsync(cancellationToken);
}
