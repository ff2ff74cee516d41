using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Kinder.Api.Events;
using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Calendar;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Calendar;

public sealed class CalendarServices(KinderDbContext db, IOptions<AppOptions> app, IOptions<JwtOptions> jwt, TimeProvider time)
{
    public KinderDbContext Db => db;
    public TimeProvider Time => time;

    public string EventUrl(Event @event) => $"{app.Value.PublicUrl.TrimEnd('/')}/events/{@event.Id}";

    /// <summary>The feed's secret: an HMAC of its id under a key derived from the server's signing key.</summary>
    public string TokenOf(Guid feedId)
    {
        var key = SHA256.HashData(Encoding.UTF8.GetBytes("kinder-calendar-feed:" + jwt.Value.SigningKey));
        return WebEncoders.Base64UrlEncode(HMACSHA256.HashData(key, feedId.ToByteArray()));
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}

/// <param name="Url">The secret feed URL: anyone with it can read the feed, so rotate it when it leaks.</param>
public sealed record CalendarFeedResponse(string Url);

/// <summary>iCalendar for one event, and each user's secret feed of the events they are going to.</summary>
public static class CalendarApi
{
    /// <summary>How far back the feed keeps events the user went to.</summary>
    public static readonly TimeSpan FeedHistory = TimeSpan.FromDays(90);
    public const int MaxFeedEvents = 500;

    public static IEndpointRouteBuilder MapCalendarApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/events/{id:guid}/calendar.ics", GetEventCalendar)
            .WithTags("Calendar")
            .RequireAuthorization()
            .WithName("GetEventCalendar")
            .WithSummary("One visible event as an iCalendar file (text/calendar); a cancelled event has STATUS:CANCELLED.")
            .Produces<string>(StatusCodes.Status200OK, "text/calendar")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var mine = app.MapGroup("/users/me/calendar").WithTags("Calendar").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        mine.MapGet("", GetCalendarFeed)
            .WithName("GetCalendarFeed")
            .WithSummary("The secret URL of your calendar feed (the events you are going to), created on first use.");
        mine.MapPost("/rotate", RotateCalendarFeed)
            .WithName("RotateCalendarFeed")
            .WithSummary("Replace your calendar feed URL; the old one stops working at once.");

        app.MapGet("/calendar/{token}.ics", GetFeed)
            .WithTags("Calendar")
            .AllowAnonymous()
            .WithName("GetCalendarFeedContent")
            .WithSummary("A user's calendar feed by its secret token, for calendar apps: no bearer token. Unknown token: 404.")
            .Produces<string>(StatusCodes.Status200OK, "text/calendar")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetEventCalendar(Guid id,
        ClaimsPrincipal principal, CalendarServices services, CancellationToken cancellationToken)
    {
        var @event = await services.Db.Events.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (@event is null || !await services.Db.CanSeeAsync(@event, principal.GetUserId(), cancellationToken))
        {
            return Problems.NotFound();
        }
        var ics = EventCalendar.Write([@event], services.EventUrl, services.Time.GetUtcNow());
        return TypedResults.Text(ics, EventCalendar.ContentType);
    }

    public static async Task<Ok<CalendarFeedResponse>> GetCalendarFeed(ClaimsPrincipal principal, HttpRequest request,
        CalendarServices services, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var feed = await services.Db.CalendarFeeds.AsNoTracking().FirstOrDefaultAsync(f => f.UserId == userId, cancellationToken)
            ?? await CreateFeedAsync(services, userId, cancellationToken);
        return TypedResults.Ok(new CalendarFeedResponse(FeedUrl(request, services.TokenOf(feed.Id))));
    }

    public static async Task<Ok<CalendarFeedResponse>> RotateCalendarFeed(ClaimsPrincipal principal, HttpRequest request,
        CalendarServices services, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        await services.Db.CalendarFeeds.Where(f => f.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        var feed = await CreateFeedAsync(services, userId, cancellationToken);
        return TypedResults.Ok(new CalendarFeedResponse(FeedUrl(request, services.TokenOf(feed.Id))));
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetFeed(string token, HttpResponse response,
        CalendarServices services, CancellationToken cancellationToken)
    {
        var hash = CalendarServices.Hash(token);
        var userId = await services.Db.CalendarFeeds.AsNoTracking()
            .Where(f => f.TokenHash == hash)
            .Join(services.Db.Users.Where(u => u.DeletedAt == null), f => f.UserId, u => u.Id, (f, u) => (Guid?)u.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (userId is null)
        {
            return Problems.NotFound();
        }
        var now = services.Time.GetUtcNow();
        var since = now - FeedHistory;
        var events = await services.Db.EventAttendances.AsNoTracking()
            .Where(a => a.UserId == userId && a.Status == AttendanceStatus.Going)
            .Join(services.Db.Events, a => a.EventId, e => e.Id, (a, e) => e)
            .Where(e => e.EndsAt >= since)
            .OrderBy(e => e.StartsAt).ThenBy(e => e.Id)
            .Take(MaxFeedEvents)
            .ToListAsync(cancellationToken);
        // The URL is the secret: keep it out of shared caches.
        response.Headers.CacheControl = "private, max-age=300";
        return TypedResults.Text(EventCalendar.Write(events, services.EventUrl, now, "Kinder"), EventCalendar.ContentType);
    }

    private static async Task<CalendarFeed> CreateFeedAsync(CalendarServices services, Guid userId, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        var feed = new CalendarFeed
        {
            UserId = userId,
            Id = id,
            TokenHash = CalendarServices.Hash(services.TokenOf(id)),
            CreatedAt = services.Time.GetUtcNow(),
        };
        services.Db.CalendarFeeds.Add(feed);
        try
        {
            await services.Db.SaveChangesAsync(cancellationToken);
            return feed;
        }
        catch (DbUpdateException)
        {
            // Another request created the feed first: use that one.
            services.Db.ChangeTracker.Clear();
            return await services.Db.CalendarFeeds.AsNoTracking().FirstAsync(f => f.UserId == userId, cancellationToken);
        }
    }

    private static string FeedUrl(HttpRequest request, string token) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/api/v1/calendar/{token}.ics";
}
