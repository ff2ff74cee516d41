using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Chat;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Conversations;

/// <summary><c>GET /conversations/{id}/messages</c>: history by seq, backwards or catching up.</summary>
public sealed class ReadMessages(ConversationServices services)
{
    public async Task<Results<Ok<MessagePage>, ValidationProblem, ProblemHttpResult>> HandleAsync(Guid id,
        MessageListQuery query, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var pageSize = query.PageSize();
        MessageCursor.TryDecode(query.Cursor, out var continued);
        var (beforeSeq, afterSeq) = (query.BeforeSeq, query.AfterSeq);
        var db = services.Db;
        if (await services.Access.FindForMemberAsync(id, principal.GetUserId(), cancellationToken) is null)
        {
            return Problems.NotFound();
        }

        var forward = continued?.Forward ?? afterSeq is not null;
        var from = continued?.Seq ?? (forward ? afterSeq : beforeSeq);
        var messages = db.Messages.AsNoTracking().Where(m => m.ConversationId == id);
        List<Message> rows;
        string? next;
        if (forward)
        {
            rows = await messages.Where(m => m.Seq > from!.Value).OrderBy(m => m.Seq).Take(pageSize + 1)
                .ToListAsync(cancellationToken);
            var more = rows.Count > pageSize;
            rows = rows.Take(pageSize).ToList();
            next = more ? new MessageCursor(Forward: true, rows[^1].Seq).Encode() : null;
        }
        else
        {
            if (from is not null)
            {
                messages = messages.Where(m => m.Seq < from.Value);
            }
            rows = await messages.OrderByDescending(m => m.Seq).Take(pageSize + 1).ToListAsync(cancellationToken);
            var more = rows.Count > pageSize;
            rows = rows.Take(pageSize).Reverse().ToList();
            next = more ? new MessageCursor(Forward: false, rows[0].Seq).Encode() : null;
        }
        return TypedResults.Ok(new MessagePage(await db.ViewsAsync(services.Storage, rows, cancellationToken), next));
    }
}
