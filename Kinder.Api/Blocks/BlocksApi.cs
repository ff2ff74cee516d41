using System.Security.Claims;
using Kinder.Api.Conversations;
using Kinder.Api.Infrastructure;
using Kinder.Core.Chat;
using Kinder.Core.Friends;
using Kinder.Core.Identity;
using Kinder.Core.Profiles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Blocks;

/// <summary>
/// Blocking. A block hides the two from each other, whichever blocked (<see cref="UserBlocks"/>): it stops the pair's
/// direct conversation (neither opens nor writes to it), hides typing, presence and profiles both ways, and hides each
/// one's events from the other (discovery, detail, attendance, invites) and keeps them out of each other's discussions;
/// it ends a friendship between them and refuses friend requests either way.
/// </summary>
public static class BlocksApi
{
    public static IEndpointRouteBuilder MapBlocksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/users").WithTags("Blocking").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/{id:guid}/block", BlockUser)
            .WithName("BlockUser")
            .WithSummary("Block someone (idempotent): no direct conversation between you, no typing or presence either way.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id:guid}/block", UnblockUser)
            .WithName("UnblockUser")
            .WithSummary("Lift your block (idempotent).");
        group.MapGet("/me/blocks", GetBlocks)
            .WithName("GetBlockedUsers")
            .WithSummary("The people you blocked, most recent first, cursor-paged.")
            .ProducesValidationProblem();
        return app;
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> BlockUser(
        [AsParameters] BlockTarget target, ConversationServices services, CancellationToken cancellationToken)
    {
        var (id, userId) = (target.Id, target.BlockerId());
        var db = services.Db;
        if (!await db.Users.AnyAsync(u => u.Id == id && u.DeletedAt == null, cancellationToken))
        {
            return Problems.NotFound();
        }
        await db.InTransactionAsync(async token =>
        {
            var inserted = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO user_blocks (blocker_id, blocked_id, created_at)
                VALUES ({userId}, {id}, {services.Time.GetUtcNow()})
                ON CONFLICT DO NOTHING
                """, token);
            if (inserted > 0)
            {
                // A block ends a friendship and withdraws pending requests, under the pair's lock (Friendships).
                await db.LockPairAsync(userId, id, token);
                await db.EndAsync(userId, id, services.Time.GetUtcNow(), token);
                await TellDirectConversationAsync(services, userId, id, token);
            }
            return inserted;
        }, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> UnblockUser(Guid id, ClaimsPrincipal principal, ConversationServices services,
        CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var db = services.Db;
        await db.InTransactionAsync(async token =>
        {
            var removed = await db.UserBlocks.Where(b => b.BlockerId == userId && b.BlockedId == id)
                .ExecuteDeleteAsync(token);
            if (removed > 0)
            {
                await TellDirectConversationAsync(services, userId, id, token);
            }
            return removed;
        }, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<BlockedUserPage>, ValidationProblem>> GetBlocks(
        [AsParameters] BlockedUsersQuery query, ClaimsPrincipal principal, ConversationServices services,
        CancellationToken cancellationToken)
    {
        var pageSize = query.PageSize();
        BlockCursor.TryDecode(query.Cursor, out var after);

        var db = services.Db;
        var userId = principal.GetUserId();
        var blocks = db.UserBlocks.Where(b => b.BlockerId == userId);
        if (after is not null)
        {
            blocks = blocks.Where(b => b.CreatedAt < after.BlockedAt
                || (b.CreatedAt == after.BlockedAt && b.BlockedId.CompareTo(after.UserId) < 0));
        }
        var rows = await blocks
            .Join(db.Users, b => b.BlockedId, u => u.Id, (b, u) => new { u.Id, u.DisplayName, u.AvatarKey, b.CreatedAt })
            .OrderByDescending(row => row.CreatedAt).ThenByDescending(row => row.Id)
            .Take(pageSize + 1)
            .ToListAsync(cancellationToken);
        var page = rows.Take(pageSize)
            .Select(row => new BlockedUserResponse(row.Id, row.DisplayName, services.Storage.UrlFor(row.AvatarKey), row.CreatedAt))
            .ToList();
        var next = rows.Count > pageSize ? new BlockCursor(page[^1].BlockedAt, page[^1].Id).Encode() : null;
        return TypedResults.Ok(new BlockedUserPage(page, next));
    }

    /// <summary>
    /// Realtime caches who may talk to whom in a direct conversation: tell it the pair's changed, in the block's
    /// transaction (the signal commits with it).
    /// </summary>
    private static async Task TellDirectConversationAsync(ConversationServices services, Guid userId, Guid otherId,
        CancellationToken cancellationToken)
    {
        var key = DirectKeys.For(userId, otherId);
        var conversationId = await services.Db.Conversations.Where(c => c.DirectKey == key).Select(c => (Guid?)c.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (conversationId is { } id)
        {
            await services.Signals.MembersChangedAsync(id, [userId, otherId], cancellationToken);
            await services.Db.SaveChangesAsync(cancellationToken);
        }
    }
}
