using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Notifications;
using Kinder.Core.Profiles;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Notifications;

/// <summary>Reads and changes the caller's notification settings (defaults until they change one).</summary>
public sealed class NotificationSettingsUseCase(KinderDbContext db, TimeProvider time)
{
    public async Task<NotificationSettingsResponse> GetAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var settings = await db.NotificationSettings.AsNoTracking().SingleOrDefaultAsync(s => s.UserId == userId, cancellationToken)
            ?? NotificationSettings.DefaultFor(userId);
        return Response(settings);
    }

    public Task<NotificationSettingsResponse> UpdateAsync(NotificationSettingsBody body, ClaimsPrincipal principal,
        CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        return db.InTransactionAsync(async token =>
        {
            // The user's row lock orders concurrent updates of the settings (and creates the row once).
            await db.LockActiveUserAsync(userId, token);
            var settings = await db.NotificationSettings.SingleOrDefaultAsync(s => s.UserId == userId, token);
            if (settings is null)
            {
                settings = NotificationSettings.DefaultFor(userId);
                db.NotificationSettings.Add(settings);
            }
            var types = JsonSerializer.Deserialize<Dictionary<string, NotificationChannels>>(settings.Types, JsonSerializerOptions.Web) ?? [];
            foreach (var (type, channels) in body.Types ?? new Dictionary<string, NotificationChannelsBody>())
                types[type] = new NotificationChannels(channels.InApp!.Value, channels.Push!.Value, channels.Email!.Value);
            settings.Types = JsonSerializer.Serialize(types, JsonSerializerOptions.Web);
            (settings.QuietStart, settings.QuietEnd, settings.TimeZone) = body.QuietHours is { } quiet
                ? (Time(quiet.Start), Time(quiet.End), quiet.TimeZone)
                : ((TimeOnly?)null, (TimeOnly?)null, (string?)null);
            settings.Digest = body.Digest ?? settings.Digest;
            settings.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(token);
            await Digests.PlanAsync(db, settings, settings.UpdatedAt, token);
            return Response(settings);
        }, cancellationToken);
    }

    private static TimeOnly Time(string? value) => QuietHoursBody.TryTime(value, out var time) ? time : default;

    private static NotificationSettingsResponse Response(NotificationSettings settings) =>
        new(settings.ChannelsByType(),
            settings is { QuietStart: { } start, QuietEnd: { } end, TimeZone: { } zone }
                ? new QuietHoursResponse(start.ToString("HH:mm", CultureInfo.InvariantCulture),
                    end.ToString("HH:mm", CultureInfo.InvariantCulture), zone)
                : null,
            settings.Digest);
}
