using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Conversations;

/// <summary>
/// <c>GET /conversations</c>: the caller's conversations, most recent activity first, paged by a pinned cursor. The
/// first page pins the latest of now and every activity the caller can see, so each conversation's key on the first
/// page is its key on every later one (clocks of other hosts may run a little ahead of ours): each conversation's last
/// activity as of the pinned time is its current one if nothing happened since, else the time of its last message at
/// that time (one index probe backwards from its newest seq), else its creation. One statement reads the page.
/// </summary>
public sealed class ListConversations(ConversationServices services)
{
    public async Task<Results<Ok<ConversationPage>, ValidationProblem>> HandleAsync(ConversationListQuery query,
        ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        ConversationCursor.TryDecode(query.Cursor, out var after);
        var now = services.Time.GetUtcNow();
        var rows = await services.Db.ReadPageAsync(services.Storage, principal.GetUserId(), query.Archived == true,
            after, query.PageSize(), now, cancellationToken);
        var next = rows is [.., { More: true } last]
            ? new ConversationCursor(last.AsOf!.Value, last.Activity!.Value, last.Conversation.Id).Encode()
            : null;
        return TypedResults.Ok(new ConversationPage(rows.Select(row => row.Response(now)).ToList(), next));
    }
}
