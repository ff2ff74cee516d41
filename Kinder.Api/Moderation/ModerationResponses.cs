using Kinder.Core.Moderation;

namespace Kinder.Api.Moderation;

/// <summary>What a reporter sees of their report: never anything about other reporters.</summary>
public sealed record ReportResponse(Guid Id, ReportTargetType TargetType, Guid TargetId, ReportReason Reason,
    string? Details, ReportStatus Status, DateTimeOffset CreatedAt);

/// <summary>One target in the moderation queue with its reports.</summary>
public sealed record ReportGroupResponse(ReportTargetType TargetType, Guid TargetId, Guid TargetUserId,
    string? TargetUserName, int Count, DateTimeOffset OldestAt, string? TargetSummary,
    IReadOnlyList<QueuedReportResponse> Reports);

/// <summary>A report as moderators see it, reporter included.</summary>
public sealed record QueuedReportResponse(Guid Id, Guid ReporterId, ReportReason Reason, string? Details,
    string? TargetSummary, ReportStatus Status, ModerationAction? Action, string? Note, Guid? ResolvedBy,
    DateTimeOffset? ResolvedAt, DateTimeOffset CreatedAt);

public sealed record ReportQueuePage(IReadOnlyList<ReportGroupResponse> Items, string? NextCursor);

public sealed record ResolvedReportResponse(Guid Id, ReportStatus Status, ModerationAction Action, int ResolvedReports,
    DateTimeOffset? SuspendedUntil);

/// <summary>A reported message and its neighbours, for moderators: never the rest of the conversation.</summary>
public sealed record ReportedMessageContext(Guid ReportId, Guid ConversationId, Guid MessageId,
    string? ReportedBody, IReadOnlyList<ContextMessage> Messages);

public sealed record ContextMessage(Guid Id, long Seq, Guid? SenderId, string Type, string? Body,
    DateTimeOffset CreatedAt, DateTimeOffset? DeletedAt, bool Reported);
