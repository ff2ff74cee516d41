using System.Globalization;
using Kinder.Core.Data;
using Kinder.Core.Email;
using Kinder.Core.Notifications;
using Kinder.Core.Outbox;
using Kinder.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Workers.Notifications;

/// <summary>
/// A due <see cref="ScheduledJobKinds.Digest"/>: the user's unread feed notifications made since the last digest go
/// out in one mail (none when there are none), and the job moves to the next period — both in the runner's transaction,
/// so a period is mailed once.
/// </summary>
public sealed class DigestMails(KinderDbContext db, TimeProvider time)
{
    public const int MaxItems = 20;

    /// <summary>Returns false when the user no longer wants a digest (the job is then deleted).</summary>
    public async Task<bool> RunAsync(ScheduledJob job, DigestDue due, CancellationToken cancellationToken)
    {
        var settings = await db.NotificationSettings.AsNoTracking().SingleOrDefaultAsync(s => s.UserId == due.UserId, cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == due.UserId && u.DeletedAt == null)
            .Select(u => new { u.Email, u.DisplayName }).SingleOrDefaultAsync(cancellationToken);
        if (settings is null || settings.Digest == DigestFrequencies.Off || user is null)
            return false;
        var now = time.GetUtcNow();
        var unread = db.Notifications.AsNoTracking()
            .Where(n => n.UserId == due.UserId && n.InApp && n.ReadAt == null && n.CreatedAt > due.Since && n.CreatedAt <= now);
        var count = await unread.CountAsync(cancellationToken);
        if (count > 0)
        {
            var items = await unread.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(MaxItems)
                .Select(n => new { n.Title, n.Body }).ToListAsync(cancellationToken);
            var lines = items.Select(item => $"{item.Title}: {item.Body}".ReplaceLineEndings(" ")).ToList();
            if (count > MaxItems)
                lines.Add($"… and {count - MaxItems} more in the app.");
            db.AddIntegrationEvent(Topics.Email, user.Email, new EmailRequestedIntegrationEvent(user.Email, EmailTemplates.Digest,
                new Dictionary<string, string>
                {
                    ["displayName"] = user.DisplayName, ["period"] = settings.Digest,
                    ["count"] = count.ToString(CultureInfo.InvariantCulture), ["items"] = string.Join('\n', lines),
                }));
        }
        job.Payload = System.Text.Json.JsonSerializer.Serialize(due with { Since = now }, System.Text.Json.JsonSerializerOptions.Web);
        job.DueAt = Digests.NextAt(settings, now);
        job.Attempts = 0;
        job.LastError = null;
        return true;
    }
}
