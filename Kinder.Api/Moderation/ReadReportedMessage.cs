using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Moderation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Moderation;

/// <summary>
/// <c>GET /admin/moderation/reports/{id}/context</c>: a reported message with the few messages before and after it
/// (<see cref="ModerationOptions.MessageContext"/>), even in a private conversation, and never more of it. Each read
/// is audited: a moderator reading someone's conversation is a sensitive action.
/// </summary>
public sealed class ReadReportedMessage(KinderDbContext db, AuditTrail audit, IOptions<ModerationOptions> options)
{
    public async Task<Results<Ok<ReportedMessageContext>, ProblemHttpResult>> HandleAsync(Guid id,
        ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var report = await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (report is not { TargetType: ReportTargetType.Message, ConversationId: { } conversationId })
        {
            return Problems.NotFound("Only a report on a message has a conversation context.");
        }
        var reported = await db.Messages.AsNoTracking()
            .Where(m => m.Id == report.TargetId).Select(m => new { m.Seq }).FirstOrDefaultAsync(cancellationToken);
        if (reported is null)
        {
            return Problems.NotFound();
        }
        var around = options.Value.MessageContext;
        var messages = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.Seq >= reported.Seq - around && m.Seq <= reported.Seq + around)
            .OrderBy(m => m.Seq)
            .Select(m => new ContextMessage(m.Id, m.Seq, m.SenderId, m.Type.ToString(), m.Body, m.CreatedAt, m.DeletedAt,
                m.Id == report.TargetId))
            .ToListAsync(cancellationToken);
        audit.Record(AuditActions.ReportContextViewed, principal.GetUserId(), AuditTargets.Report, report.Id,
            new { conversationId, messageId = report.TargetId });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new ReportedMessageContext(report.Id, conversationId, report.TargetId,
            report.TargetSummary, messages));
    }
}
