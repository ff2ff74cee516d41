using System.Text.Json;
using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Notifications;

/// <summary>
/// The digest mail of unread notifications: one <see cref="ScheduledJob"/> per user who chose a daily or weekly digest
/// (key <c>digest:{user}</c>), due at <see cref="SendAt"/> in the user's time zone (every day, or on Mondays). The job
/// mails the unread notifications since the last digest and moves itself to the next period in the same transaction,
/// so each period is mailed once across replicas and restarts.
/// </summary>
public static class Digests
{
    public static readonly TimeOnly SendAt = new(8, 0);

    public static string JobKey(Guid userId) => $"digest:{userId}";

    /// <summary>The settings' digest changed (or may have): plan the user's job, or delete it for <c>off</c>. A job
    /// already planned keeps what it has sent so far (<see cref="DigestDue.Since"/>) and only moves.</summary>
    public static async Task PlanAsync(KinderDbContext db, NotificationSettings settings, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var key = JobKey(settings.UserId);
        if (settings.Digest == DigestFrequencies.Off)
        {
            await db.ScheduledJobs.Where(job => job.Key == key).ExecuteDeleteAsync(cancellationToken);
            return;
        }
        var due = NextAt(settings, now);
        var payload = JsonSerializer.Serialize(new DigestDue(settings.UserId, now), JsonSerializerOptions.Web);
        await ScheduledJobPlans.UpsertAsync(db, ScheduledJobKinds.Digest, key, due, payload, now, keepPayload: true,
            cancellationToken);
    }

    /// <summary>The first <see cref="SendAt"/> after <paramref name="after"/> in the user's zone (UTC without one),
    /// on a Monday for a weekly digest.</summary>
    public static DateTimeOffset NextAt(NotificationSettings settings, DateTimeOffset after)
    {
        var zone = settings.TimeZone is { } id && QuietHours.TryZone(id, out var found) ? found : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(after, zone);
        var date = DateOnly.FromDateTime(local.DateTime);
        while (true)
        {
            var candidate = date.ToDateTime(SendAt);
            // A wall-clock time skipped by a DST change: the hour after it.
            while (zone.IsInvalidTime(candidate))
                candidate = candidate.AddMinutes(30);
            // In UTC: Npgsql writes only offset 0 to timestamptz.
            var at = new DateTimeOffset(candidate, zone.GetUtcOffset(candidate)).ToUniversalTime();
            if (at > after && (settings.Digest != DigestFrequencies.Weekly || date.DayOfWeek == DayOfWeek.Monday))
                return at;
            date = date.AddDays(1);
        }
    }
}

/// <summary>Payload of <see cref="ScheduledJobKinds.Digest"/>: unread notifications made after <paramref name="Since"/> go in the next mail.</summary>
public sealed record DigestDue(Guid UserId, DateTimeOffset Since);
