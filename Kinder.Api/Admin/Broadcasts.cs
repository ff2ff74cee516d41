using System.Security.Claims;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Moderation;
using Kinder.Core.Outbox;
using Kinder.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Admin;

/// <summary>
/// <c>POST /admin/broadcasts</c> → 202 stores the broadcast and, in the same commit, emits
/// <see cref="BroadcastRequestedIntegrationEvent"/> on <c>moderation.events</c>: its consumer turns it into
/// <c>broadcast</c> notifications in batches (<see cref="BroadcastAudience"/>), off the request path.
/// <c>GET /admin/broadcasts</c> lists them, newest first.
/// </summary>
public sealed class Broadcasts(KinderDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task<Accepted<BroadcastResponse>> CreateAsync(BroadcastRequest request, ClaimsPrincipal principal,
        CancellationToken cancellationToken)
    {
        var broadcast = new Broadcast
        {
            Title = request.Title.Trim(),
            Body = request.Body.Trim(),
            City = string.IsNullOrWhiteSpace(request.Audience?.City) ? null : request.Audience.City.Trim(),
            InterestIds = [.. (request.Audience?.InterestIds ?? []).Distinct()],
            CreatedBy = principal.GetUserId(),
            CreatedAt = time.GetUtcNow(),
        };
        db.Broadcasts.Add(broadcast);
        db.AddIntegrationEvent(Topics.Moderation, broadcast.Id.ToString(), new BroadcastRequestedIntegrationEvent(
            broadcast.Id, broadcast.Title, broadcast.Body, broadcast.City, broadcast.InterestIds, broadcast.CreatedAt));
        audit.Record(AuditActions.BroadcastCreated, broadcast.CreatedBy, AuditTargets.Broadcast, broadcast.Id,
            new { city = broadcast.City, interestIds = broadcast.InterestIds });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted($"/api/v1/admin/broadcasts/{broadcast.Id}", ToResponse(broadcast));
    }

    public async Task<Ok<BroadcastPage>> ListAsync(BroadcastsQuery query, CancellationToken cancellationToken)
    {
        var pageSize = query.PageSize();
        NewestFirstCursor.TryDecode(query.Cursor, out var after);
        var broadcasts = db.Broadcasts.AsNoTracking();
        if (after is not null)
        {
            broadcasts = broadcasts.Where(b => b.CreatedAt < after.At || (b.CreatedAt == after.At && b.Id.CompareTo(after.Id) < 0));
        }
        var rows = await broadcasts.OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id).Take(pageSize + 1)
            .ToListAsync(cancellationToken);
        var page = rows.Take(pageSize).Select(ToResponse).ToList();
        return TypedResults.Ok(new BroadcastPage(page,
            rows.Count > pageSize ? new NewestFirstCursor(page[^1].CreatedAt, page[^1].Id).Encode() : null));
    }

    private static BroadcastResponse ToResponse(Broadcast b) =>
        new(b.Id, b.Title, b.Body, new BroadcastAudienceResponse(b.City, b.InterestIds), b.CreatedBy, b.CreatedAt);
}
