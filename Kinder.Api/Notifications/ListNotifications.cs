using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Notifications;

/// <summary>The caller's feed, newest first, keyset-paged on (created at, id), with the unread count.</summary>
public sealed class ListNotifications(KinderDbContext db)
{
    public async Task<NotificationPage> HandleAsync(NotificationListQuery query, ClaimsPrincipal principal,
        CancellationToken cancellationToken)
    {
        var pageSize = Paging.PageSize(query.Limit);
        NotificationCursor.TryDecode(query.Cursor, out var after);
        var userId = principal.GetUserId();
        var feed = db.Notifications.AsNoTracking().Where(n => n.UserId == userId && n.InApp);
        if (query.UnreadOnly == true)
            feed = feed.Where(n => n.ReadAt == null);
        if (after is not null)
            feed = feed.Where(n => n.CreatedAt < after.At || (n.CreatedAt == after.At && n.Id.CompareTo(after.Id) < 0));
        var rows = await feed.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(pageSize + 1)
            .ToListAsync(cancellationToken);
        var unread = await db.Notifications.CountAsync(n => n.UserId == userId && n.InApp && n.ReadAt == null, cancellationToken);
        var page = rows.Take(pageSize).Select(View).ToList();
        var next = rows.Count > pageSize ? new NotificationCursor(page[^1].CreatedAt, page[^1].Id).Encode() : null;
        return new NotificationPage(page, next, unread);
    }

    public static NotificationView View(Notification n) =>
        new(n.Id, n.Type, n.Title, n.Body, NotificationData.FromJson(n.Data), n.ReadAt, n.CreatedAt);
}
