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
        long? beforeSeq, long? afterSeq, int? limit, string? cursor, ClaimsPrincipal principal,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var pageSize = errors.PageSize(limit);
        if (beforeSeq is not null && afterSeq is not null)
        {
            errors.Add("afterSeq", "Give beforeSeq or afterSeq, not both.");
        }
        if (beforeSeq is < 1)
        {
            errors.Add("beforeSeq", "Seqs start at 1.");
        }
        if (afterSeq is < 0)
        {
            errors.Add("afterSeq", "Seqs start at 1; afterSeq=0 reads from the beginning.");
        }
        if (!MessageCursor.TryDecode(cursor, out var continued))
        {
            errors.UnknownCursor();
        }
        else if (continued is not null && (beforeSeq is not null || afterSeq is not null))
        {
            errors.Add("cursor", "A cursor already says where to go on; leave out beforeSeq and afterSeq.");
        }
        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors.ToDictionary());
        }
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
