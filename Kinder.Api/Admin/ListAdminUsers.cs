using Kinder.Core.Data;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Admin;

/// <summary>
/// <c>GET /admin/users</c>: newest first (ids are UUIDv7), optionally matching <c>q</c> (the start of the email, or
/// anywhere in the name: the trigram index) and a status. Deleted accounts only with <c>status=deleted</c>.
/// </summary>
public sealed class ListAdminUsers(KinderDbContext db, TimeProvider time)
{
    public async Task<Ok<AdminUserPage>> HandleAsync(AdminUsersQuery query, CancellationToken cancellationToken)
    {
        var pageSize = query.PageSize();
        AdminUserCursor.TryDecode(query.Cursor, out var after);
        var now = time.GetUtcNow();
        var users = db.Users.AsNoTracking();
        query.TryGetStatus(out var status);
        users = status switch
        {
            AdminUserStatus.Deleted => users.Where(u => u.DeletedAt != null),
            AdminUserStatus.Banned => users.Where(u => u.DeletedAt == null && u.BannedAt != null),
            AdminUserStatus.Suspended => users.Where(u => u.DeletedAt == null && u.BannedAt == null && u.SuspendedUntil > now),
            AdminUserStatus.Active => users.Where(u => u.DeletedAt == null && u.BannedAt == null
                && (u.SuspendedUntil == null || u.SuspendedUntil <= now)),
            _ => users.Where(u => u.DeletedAt == null),
        };
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var q = query.Q.Trim();
            var escaped = q.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
            var (anywhere, prefix) = ("%" + escaped + "%", escaped + "%");
            users = users.Where(u => EF.Functions.ILike(u.DisplayName, anywhere) || EF.Functions.ILike(u.Email, prefix));
        }
        if (after is not null)
        {
            users = users.Where(u => u.Id.CompareTo(after.Id) < 0);
        }
        var rows = await users.OrderByDescending(u => u.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
        var page = rows.Take(pageSize).Select(ToResponse).ToList();
        return TypedResults.Ok(new AdminUserPage(page, rows.Count > pageSize ? new AdminUserCursor(page[^1].Id).Encode() : null));
    }

    internal static AdminUserResponse ToResponse(User u) =>
        new(u.Id, u.Email, u.DisplayName, u.Roles, u.EmailVerified, u.City, u.CreatedAt, u.SuspendedUntil, u.BannedAt,
            u.DeletedAt);
}
