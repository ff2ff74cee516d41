using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Identity;
using Kinder.Core.Moderation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kinder.Api.Moderation;

/// <summary>
/// <c>POST /reports</c>: a report on something the reporter can see (a user, an event they may see, a message of a
/// conversation they are in; else 404). One open report per reporter and target: again, <c>200</c> with the first. The
/// reported thing is copied as it is now (<see cref="Report.TargetSummary"/>) for the moderators.
/// </summary>
public sealed class FileReport(KinderDbContext db, ConversationAccess conversations, TimeProvider time)
{
    public async Task<Results<Created<ReportResponse>, Ok<ReportResponse>, ValidationProblem, ProblemHttpResult>>
        HandleAsync(ReportRequest request, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var reporterId = principal.GetUserId();
        if (await FindOpenAsync(reporterId, request, cancellationToken) is { } existing)
        {
            return TypedResults.Ok(existing);
        }
        var target = await FindTargetAsync(reporterId, request, cancellationToken);
        if (target is null)
        {
            return Problems.NotFound();
        }
        if (target.UserId == reporterId)
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["targetId"] = ["You cannot report yourself or what you wrote."],
            });
        }
        var report = new Report
        {
            ReporterId = reporterId,
            TargetType = request.TargetType,
            TargetId = request.TargetId,
            TargetUserId = target.UserId,
            ConversationId = target.ConversationId,
            Reason = request.Reason,
            Details = string.IsNullOrWhiteSpace(request.Details) ? null : request.Details.Trim(),
            TargetSummary = Truncate(target.Summary),
            CreatedAt = time.GetUtcNow(),
        };
        db.Reports.Add(report);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException
                                                   { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // The same reporter's concurrent report on the same target won: answer it.
            db.ChangeTracker.Clear();
            return TypedResults.Ok((await FindOpenAsync(reporterId, request, cancellationToken))!);
        }
        return TypedResults.Created($"/api/v1/reports/{report.Id}", ToResponse(report));
    }

    private Task<ReportResponse?> FindOpenAsync(Guid reporterId, ReportRequest request, CancellationToken cancellationToken) =>
        db.Reports.AsNoTracking()
            .Where(r => r.ReporterId == reporterId && r.TargetType == request.TargetType && r.TargetId == request.TargetId
                && r.Status == ReportStatus.Open)
            .Select(r => new ReportResponse(r.Id, r.TargetType, r.TargetId, r.Reason, r.Details, r.Status, r.CreatedAt))
            .FirstOrDefaultAsync(cancellationToken);

    private sealed record Target(Guid UserId, Guid? ConversationId, string? Summary);

    private async Task<Target?> FindTargetAsync(Guid reporterId, ReportRequest request, CancellationToken cancellationToken)
    {
        switch (request.TargetType)
        {
            case ReportTargetType.User:
                return await db.Users.AsNoTracking()
                    .Where(u => u.Id == request.TargetId && u.DeletedAt == null)
                    .Select(u => new Target(u.Id, null, u.DisplayName + (u.Bio == null ? "" : "\n" + u.Bio)))
                    .FirstOrDefaultAsync(cancellationToken);
            case ReportTargetType.Event:
                var @event = await db.Events.AsNoTracking().FirstOrDefaultAsync(e => e.Id == request.TargetId, cancellationToken);
                return @event is null || !await db.CanSeeAsync(@event, reporterId, cancellationToken) ? null
                    : new Target(@event.OrganizerId, null, @event.Title + (@event.Description is null ? "" : "\n" + @event.Description));
            default:
                var message = await db.Messages.AsNoTracking()
                    .FirstOrDefaultAsync(m => m.Id == request.TargetId && m.DeletedAt == null, cancellationToken);
                return message?.SenderId is not { } senderId
                       || await conversations.FindForMemberAsync(message.ConversationId, reporterId, cancellationToken) is null
                    ? null
                    : new Target(senderId, message.ConversationId, message.Body);
        }
    }

    internal static ReportResponse ToResponse(Report report) =>
        new(report.Id, report.TargetType, report.TargetId, report.Reason, report.Details, report.Status, report.CreatedAt);

    private static string? Truncate(string? value) =>
        value is null ? null : value.Length <= Report.MaxSummaryLength ? value : value[..Report.MaxSummaryLength];
}
