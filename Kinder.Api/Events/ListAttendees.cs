using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Friends;
using Kinder.Core.Identity;
using Kinder.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Events;

/// <summary>The people going (or interested, or waitlisted with their places), oldest answer first, cursor-paged.</summary>
public sealed class ListAttendees(KinderDbContext db, IOptions<StorageOptions> storage)
{
    public async Task<Results<Ok<AttendeePage>, ValidationProblem, ProblemHttpResult>> HandleAsync(Guid id,
        AttendeeQuery query, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var listed = query.ListedStatus()!.Value;
        var pageSize = query.PageSize();
        AttendeeCursor.TryDecode(query.Cursor, out var after);

        var @event = await db.Events.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (@event is null || !await db.CanSeeAsync(@event, principal.GetUserId(), cancellationToken))
        {
            return Problems.NotFound();
        }
        // A block hides the two from each other here too (the waitlist places below still count everyone in line).
        var blocked = db.BlockedEitherWay(principal.GetUserId());
        var attendances = db.EventAttendances.AsNoTracking()
            .Where(a => a.EventId == id && a.Status == listed && a.Sequence > after && !blocked.Contains(a.UserId));
        if (query.Friends == true)
        {
            var friends = db.FriendIdsOf(principal.GetUserId());
            attendances = attendances.Where(a => friends.Contains(a.UserId));
        }
        var rows = await attendances
            .Join(db.Users.Where(user => user.DeletedAt == null), a => a.UserId, user => user.Id,
                (a, user) => new { user.Id, user.DisplayName, user.AvatarKey, a.Status, a.Sequence, a.UpdatedAt })
            .OrderBy(row => row.Sequence)
            .Take(pageSize + 1)
            .ToListAsync(cancellationToken);
        var page = rows.Take(pageSize).ToList();

        // Waitlist places count everyone in line (also accounts being deleted), as the attendance answer does.
        var positions = new Dictionary<long, int>();
        if (listed == AttendanceStatus.Waitlisted && page.Count > 0)
        {
            var first = page[0].Sequence;
            var last = page[^1].Sequence;
            var before = await db.EventAttendances.CountAsync(a => a.EventId == id
                && a.Status == AttendanceStatus.Waitlisted && a.Sequence < first, cancellationToken);
            var inRange = await db.EventAttendances
                .Where(a => a.EventId == id && a.Status == AttendanceStatus.Waitlisted && a.Sequence >= first
                    && a.Sequence <= last)
                .OrderBy(a => a.Sequence).Select(a => a.Sequence).ToListAsync(cancellationToken);
            for (var index = 0; index < inRange.Count; index++)
            {
                positions[inRange[index]] = before + index + 1;
            }
        }
        var items = page.Select(row => new AttendeeResponse(row.Id, row.DisplayName, storage.Value.UrlFor(row.AvatarKey),
            row.Status, positions.TryGetValue(row.Sequence, out var position) ? position : null, row.UpdatedAt)).ToList();
        var nextCursor = rows.Count > pageSize ? AttendeeCursor.Encode(page[^1].Sequence) : null;
        return TypedResults.Ok(new AttendeePage(items, nextCursor));
    }
}
