using System.Globalization;
using FluentValidation;
using Kinder.Api.Infrastructure;
using Kinder.Core.Notifications;
using Microsoft.AspNetCore.Mvc;

namespace Kinder.Api.Notifications;

/// <summary><c>GET /notifications</c>: the page, and whether only unread ones.</summary>
public sealed record NotificationListQuery(
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "unreadOnly")] bool? UnreadOnly);

public sealed class NotificationListQueryValidator : AbstractValidator<NotificationListQuery>
{
    public NotificationListQueryValidator()
    {
        RuleFor(query => query.Limit).ValidPageSize();
        RuleFor(query => query.Cursor).KnownCursor(cursor => NotificationCursor.TryDecode(cursor, out _));
    }
}

/// <summary>The feed's cursor: the last item's time and id (newest first; the id breaks ties). New notifications are
/// newer than any cursor, so they never shift the pages after it.</summary>
public sealed record NotificationCursor(DateTimeOffset At, Guid Id)
{
    public string Encode() => Cursors.Encode(this);

    public static bool TryDecode(string? cursor, out NotificationCursor? position) => Cursors.TryDecode(cursor, out position);
}

/// <summary>
/// <c>PUT /notifications/settings</c>. <see cref="Types"/>: the types to change (others stay as they are);
/// <see cref="QuietHours"/> null: none; <see cref="Digest"/> absent: unchanged.
/// </summary>
public sealed record NotificationSettingsBody(
    IReadOnlyDictionary<string, NotificationChannelsBody>? Types,
    QuietHoursBody? QuietHours,
    string? Digest);

/// <summary>Where one type goes; all three are required.</summary>
public sealed record NotificationChannelsBody(bool? InApp, bool? Push, bool? Email);

/// <summary>Quiet hours as <c>HH:mm</c> in an IANA time zone (<c>Europe/Madrid</c>); start after end spans midnight.</summary>
public sealed record QuietHoursBody(string? Start, string? End, string? TimeZone)
{
    public static bool TryTime(string? value, out TimeOnly time) =>
        TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
}

public sealed class NotificationSettingsBodyValidator : AbstractValidator<NotificationSettingsBody>
{
    public NotificationSettingsBodyValidator()
    {
        RuleFor(body => body.Types).Custom((types, context) =>
        {
            foreach (var (type, channels) in types ?? new Dictionary<string, NotificationChannelsBody>())
            {
                if (!NotificationTypes.IsKnown(type))
                {
                    context.AddFailure($"types.{type}", $"Not a notification type: one of {string.Join(", ", NotificationTypes.All)}.");
                    continue;
                }
                if (channels?.InApp is null) context.AddFailure($"types.{type}.inApp", "true or false.");
                if (channels?.Push is null) context.AddFailure($"types.{type}.push", "true or false.");
                if (channels?.Email is null) context.AddFailure($"types.{type}.email", "true or false.");
            }
        });
        When(body => body.QuietHours is not null, () =>
        {
            RuleFor(body => body.QuietHours!.Start).Must(start => QuietHoursBody.TryTime(start, out _))
                .OverridePropertyName("quietHours.start").WithMessage("A time as HH:mm (00:00 to 23:59).");
            RuleFor(body => body.QuietHours!.End).Must(end => QuietHoursBody.TryTime(end, out _))
                .OverridePropertyName("quietHours.end").WithMessage("A time as HH:mm (00:00 to 23:59).");
            RuleFor(body => body.QuietHours!.TimeZone).Must(zone => zone is not null && QuietHours.TryZone(zone, out _))
                .OverridePropertyName("quietHours.timeZone").WithMessage("An IANA time zone, e.g. Europe/Madrid.");
        });
        RuleFor(body => body.Digest).Must(digest => digest is null || DigestFrequencies.All.Contains(digest))
            .WithMessage($"One of {string.Join(", ", DigestFrequencies.All)}.");
    }
}
