using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Api.Profiles;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Identity;
using Kinder.Core.Preferences;
using Kinder.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;

namespace Kinder.Api.Events;

/// <summary>One feed item: the <c>event</c> response, its personalised score and why it is there.</summary>
public sealed record DiscoveryItem(EventResponse Event, double Score, IReadOnlyList<string> Reasons);

public sealed record DiscoveryPage(IReadOnlyList<DiscoveryItem> Items, string? NextCursor);

/// <summary>The discovery handler's dependencies, registered scoped and taken as one service parameter.</summary>
public sealed class DiscoveryServices(KinderDbContext db, IOptions<StorageOptions> storage, TimeProvider time,
    UserPreferenceStore preferences, IOptions<DiscoveryOptions> options, IDiscoveryConnections connections,
    IBlockedOrganizers blocked, DiscoverySnapshots snapshots)
{
    public KinderDbContext Db => db;
    public StorageOptions Storage => storage.Value;
    public TimeProvider Time => time;
    public UserPreferenceStore Preferences => preferences;
    public DiscoveryOptions Options => options.Value;
    public IDiscoveryConnections Connections => connections;
    public IBlockedOrganizers Blocked => blocked;
    public DiscoverySnapshots Snapshots => snapshots;
}

/// <summary>API.md, Events: <c>GET /events/discover</c>, the personalised feed.</summary>
public static class DiscoveryApi
{
    public static IServiceCollection AddDiscovery(this IServiceCollection services)
    {
        services.AddOptions<DiscoveryOptions>()
            .BindConfiguration(DiscoveryOptions.SectionName)
            .Validate(options => options.IsValid(),
                "Discovery: weights are between 0 and 100; radius, candidate limit, scales and snapshot lifetime are positive.")
            .ValidateOnStart();
        services.AddScoped<IDiscoveryConnections, ChatDiscoveryConnections>();
        services.AddScoped<IBlockedOrganizers, ChatBlockedOrganizers>();
        services.AddSingleton<DiscoverySnapshots>();
        services.AddScoped<DiscoveryServices>();
        return services;
    }

    public static IEndpointRouteBuilder MapDiscoveryApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/events/discover", Discover)
            .RequireAuthorization()
            .WithTags("Events")
            .WithName("DiscoverEvents")
            .WithSummary("The personalised feed: upcoming public events near a point (else the profile location), scored "
                + "by interests, distance, free days, popularity, how soon, past categories and people you talk to; "
                + "every item says why. sort=relevance|date|popularity|distance; cursor-paged over a ranked snapshot.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    public static async Task<Results<Ok<DiscoveryPage>, ValidationProblem, ProblemHttpResult>> Discover(
        [AsParameters] DiscoveryRequest request, ClaimsPrincipal principal, DiscoveryServices services,
        CancellationToken cancellationToken)
    {
        var (latitude, longitude, radiusKm, _, _, cursor) = request;
        var pageSize = request.Limit ?? Paging.DefaultLimit;
        Guid snapshotId = default;
        var offset = 0;
        if (cursor is not null)
        {
            DiscoverySnapshots.TryDecodeCursor(cursor, out snapshotId, out offset);
        }

        var userId = principal.GetUserId();
        // A first page runs about ten short queries: one connection for all of them, rather than taking it from the
        // pool and resetting it (DISCARD ALL) around each. The context closes it when the request ends.
        await services.Db.Database.OpenConnectionAsync(cancellationToken);
        DiscoverySnapshot? snapshot;
        if (cursor is not null)
        {
            snapshot = await services.Snapshots.FindAsync(userId, snapshotId);
            if (snapshot is null)
            {
                return Problems.Validation(new Dictionary<string, string[]>
                {
                    ["cursor"] = ["This feed has expired; start again from the first page."],
                });
            }
        }
        else
        {
            var user = await services.Db.FindCurrentUserAsync(principal, cancellationToken);
            if (user is null)
            {
                return CurrentUser.Gone();
            }
            var point = latitude is not null
                ? new Point(longitude!.Value, latitude.Value) { SRID = 4326 }
                : user.Location;
            snapshot = await RankAsync(services, userId, point, radiusKm, request.Order()!.Value, cancellationToken);
            if (snapshot.Entries.Count > pageSize)
            {
                snapshotId = await services.Snapshots.SaveAsync(userId, snapshot);
            }
        }

        var entries = snapshot.Entries.Skip(offset).Take(pageSize).ToList();
        var from = snapshot.Latitude is { } lat && snapshot.Longitude is { } lon
            ? new Point(lon, lat) { SRID = 4326 }
            : null;
        var events = (await services.Db.ReadManyAsync(services.Storage, entries.Select(entry => entry.Id).ToList(),
            userId, from, cancellationToken)).ToDictionary(e => e.Id);
        var now = services.Time.GetUtcNow();
        var items = entries
            .Where(entry => events.TryGetValue(entry.Id, out var e) && e.Status == EventStatus.Published && e.StartsAt > now)
            .Select(entry => new DiscoveryItem(events[entry.Id], entry.Score, entry.Reasons))
            .ToList();
        var next = offset + pageSize < snapshot.Entries.Count
            ? DiscoverySnapshots.EncodeCursor(snapshotId, offset + pageSize)
            : null;
        return TypedResults.Ok(new DiscoveryPage(items, next));
    }

    private static async Task<DiscoverySnapshot> RankAsync(DiscoveryServices services, Guid userId, Point? from,
        double? radiusKm, DiscoverySort sort, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var options = services.Options;
        var now = services.Time.GetUtcNow();
        var preferences = await services.Preferences.GetAsync(userId, cancellationToken);
        var radiusPreference = await services.Preferences.GetAsync<LocationPreference?>(userId, PreferenceKeys.Location,
            null, cancellationToken);
        var radius = radiusKm ?? radiusPreference?.RadiusKm ?? options.DefaultRadiusKm;
        var blocked = await services.Blocked.BlockedOrganizerIdsAsync(userId, cancellationToken);

        var candidates = await DiscoveryQuery.CandidatesAsync(db, userId, from, radius, sort, blocked, now,
            options.CandidateLimit, cancellationToken);
        var past = await DiscoveryQuery.PastEventsByCategoryAsync(db, userId, now, cancellationToken);
        var connections = await services.Connections.CountGoingAsync(userId,
            candidates.Select(candidate => candidate.Id).ToList(), cancellationToken);
        var viewer = new DiscoveryViewer(preferences.Interests.ToHashSet(), preferences.Availability, past, connections);
        var scorer = new DiscoveryScorer(options);
        var scored = candidates.Select(candidate => (Candidate: candidate, Result: scorer.Score(candidate, viewer, now)))
            .ToList();

        IEnumerable<(DiscoveryCandidate Candidate, DiscoveryScore Result)> ordered = sort switch
        {
            DiscoverySort.Date => scored.OrderBy(item => item.Candidate.StartsAt),
            DiscoverySort.Popularity => scored.OrderByDescending(item => item.Candidate.GoingCount),
            DiscoverySort.Distance => scored.OrderBy(item => item.Candidate.DistanceKm ?? double.MaxValue),
            _ => scored.OrderByDescending(item => item.Result.Score),
        };
        var entries = ((IOrderedEnumerable<(DiscoveryCandidate Candidate, DiscoveryScore Result)>)ordered)
            .ThenByDescending(item => item.Result.Score)
            .ThenBy(item => item.Candidate.Id)
            .Select(item => new DiscoverySnapshotEntry(item.Candidate.Id, item.Result.Score, item.Result.Reasons))
            .ToList();
        return new DiscoverySnapshot(from?.Y, from?.X, entries);
    }
}
