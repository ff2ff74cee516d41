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

/// <summary>
/// The personalised feed: a first page ranks the candidates near the point (else the profile location) into a
/// snapshot; later pages read the snapshot the cursor names.
/// </summary>
public sealed class DiscoverEvents(KinderDbContext db, ObjectStorage storage, TimeProvider time,
    UserPreferenceStore preferenceStore, IOptions<DiscoveryOptions> options, IDiscoveryConnections discoveryConnections,
    IBlockedOrganizers blockedOrganizers, DiscoverySnapshots snapshots)
{
    public async Task<Results<Ok<DiscoveryPage>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        DiscoveryRequest request, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var (latitude, longitude, radiusKm, _, _, cursor) = request;
        var pageSize = Paging.PageSize(request.Limit);
        Guid snapshotId = default;
        var offset = 0;
        if (cursor is not null)
        {
            DiscoverySnapshots.TryDecodeCursor(cursor, out snapshotId, out offset);
        }

        var userId = principal.GetUserId();
        // A first page runs about ten short queries: one connection for all of them, rather than taking it from the
        // pool and resetting it (DISCARD ALL) around each. The context closes it when the request ends.
        await db.Database.OpenConnectionAsync(cancellationToken);
        DiscoverySnapshot? snapshot;
        if (cursor is not null)
        {
            snapshot = await snapshots.FindAsync(userId, snapshotId);
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
            var user = await db.FindCurrentUserAsync(principal, cancellationToken);
            if (user is null)
            {
                return CurrentUser.Gone();
            }
            var point = latitude is not null
                ? new Point(longitude!.Value, latitude.Value) { SRID = 4326 }
                : user.Location;
            snapshot = await RankAsync(userId, point, radiusKm, request.Order()!.Value, cancellationToken);
            if (snapshot.Entries.Count > pageSize)
            {
                snapshotId = await snapshots.SaveAsync(userId, snapshot);
            }
        }

        var entries = snapshot.Entries.Skip(offset).Take(pageSize).ToList();
        var from = snapshot.Latitude is { } lat && snapshot.Longitude is { } lon
            ? new Point(lon, lat) { SRID = 4326 }
            : null;
        var events = (await db.ReadManyAsync(storage, entries.Select(entry => entry.Id).ToList(),
            userId, from, cancellationToken)).ToDictionary(e => e.Id);
        var now = time.GetUtcNow();
        var items = entries
            .Where(entry => events.TryGetValue(entry.Id, out var e) && e.Status == EventStatus.Published && e.StartsAt > now)
            .Select(entry => new DiscoveryItem(events[entry.Id], entry.Score, entry.Reasons))
            .ToList();
        var next = offset + pageSize < snapshot.Entries.Count
            ? DiscoverySnapshots.EncodeCursor(snapshotId, offset + pageSize)
            : null;
        return TypedResults.Ok(new DiscoveryPage(items, next));
    }

    private async Task<DiscoverySnapshot> RankAsync(Guid userId, Point? from, double? radiusKm,
        DiscoverySort sort, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var preferences = await preferenceStore.GetAsync(userId, cancellationToken);
        var radiusPreference = await preferenceStore.GetAsync<LocationPreference?>(userId, PreferenceKeys.Location,
            null, cancellationToken);
        var radius = radiusKm ?? radiusPreference?.RadiusKm ?? options.Value.DefaultRadiusKm;
        var blocked = await blockedOrganizers.BlockedOrganizerIdsAsync(userId, cancellationToken);

        var candidates = await DiscoveryQuery.CandidatesAsync(db, userId, from, radius, sort, blocked, now,
            options.Value.CandidateLimit, cancellationToken);
        var past = await DiscoveryQuery.PastEventsByCategoryAsync(db, userId, now, cancellationToken);
        var connections = await discoveryConnections.CountGoingAsync(userId,
            candidates.Select(candidate => candidate.Id).ToList(), cancellationToken);
        var friends = await FriendsGoing.CountAsync(db, userId, candidates.Select(candidate => candidate.Id).ToList(),
            cancellationToken);
        var viewer = new DiscoveryViewer(preferences.Interests.ToHashSet(), preferences.Availability, past, connections,
            friends);
        var scorer = new DiscoveryScorer(options.Value);
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
