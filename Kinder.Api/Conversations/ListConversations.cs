using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Chat;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Conversations;

/// <summary><c>GET /conversations</c>: the caller's conversations, most recent activity first, paged by a pinned cursor.</summary>
public sealed class ListConversations(ConversationServices services)
{
    public async Task<Results<Ok<ConversationPage>, ValidationProblem>> HandleAsync(ConversationListQuery query,
        ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var pageSize = query.PageSize();
        ConversationCursor.TryDecode(query.Cursor, out var after);

        var db = services.Db;
        var userId = principal.GetUserId();
        var now = services.Time.GetUtcNow();
        // The first page pins the latest of now and every activity the caller can see, so each conversation's key on
        // the first page is its key on every later one (clocks of other hosts may run a little ahead of ours).
        var asOf = after?.AsOf ?? now;
        if (after is null)
        {
            var latest = await db.ConversationMembers
                .Where(m => m.UserId == userId && m.LeftAt == null)
                .Join(db.Conversations, m => m.ConversationId, c => c.Id, (_, c) => (DateTimeOffset?)c.LastActivityAt)
                .MaxAsync(cancellationToken);
            asOf = latest > now ? latest.Value : now;
        }
        var wantArchived = query.Archived == true;
        // Each conversation's last activity as of the pinned time: its current one if nothing happened since, else the
        // time of its last message at that time (one index probe backwards from its newest seq), else its creation.
        var keyed = db.ConversationMembers
            .Where(m => m.UserId == userId && m.LeftAt == null)
            .Join(db.Conversations.Where(c => c.CreatedAt <= asOf), m => m.ConversationId, c => c.Id,
                (m, c) => new { Member = m, Conversation = c })
            .Where(row => wantArchived
                ? row.Member.ArchivedAt != null && row.Conversation.LastActivityAt <= row.Member.ArchivedAt
                : row.Member.ArchivedAt == null || row.Conversation.LastActivityAt > row.Member.ArchivedAt)
            .Select(row => new
            {
                row.Conversation.Id,
                Activity = row.Conversation.LastActivityAt <= asOf
                    ? row.Conversation.LastActivityAt
                    : db.Messages
                        .Where(message => message.ConversationId == row.Conversation.Id && message.CreatedAt <= asOf)
                        .OrderByDescending(message => message.Seq)
                        .Select(message => (DateTimeOffset?)message.CreatedAt)
                        .FirstOrDefault() ?? row.Conversation.CreatedAt,
            });
        if (after is not null)
        {
            keyed = keyed.Where(row => row.Activity < after.Activity
                || (row.Activity == after.Activity && row.Id.CompareTo(after.Id) < 0));
        }
        var rows = await keyed
            .OrderByDescending(row => row.Activity).ThenByDescending(row => row.Id)
            .Take(pageSize + 1)
            .ToListAsync(cancellationToken);
        var page = rows.Take(pageSize).ToList();
        var items = await db.ReadManyAsync(services.Storage, page.Select(row => row.Id).ToList(), userId,
            eventMembers: false, now, cancellationToken);
        var next = rows.Count > pageSize ? new ConversationCursor(asOf, page[^1].Activity, page[^1].Id).Encode() : null;
        return TypedResults.Ok(new ConversationPage(items, next));
    }
}
