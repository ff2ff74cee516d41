namespace Kinder.Core.Moderation;

/// <summary>The audit log's action names (<c>area.what</c>), searchable with <c>GET /admin/audit-logs?action=</c>.</summary>
public static class AuditActions
{
    public const string SignIn = "auth.sign_in";
    public const string SignInFailed = "auth.sign_in_failed";
    public const string SignInRefusedSuspended = "auth.sign_in_refused_suspended";
    public const string PasswordReset = "auth.password_reset";
    public const string Logout = "auth.logout";

    /// <summary>A used refresh token came back: its family and every access token of the user were revoked.</summary>
    public const string RefreshTokenReused = "auth.refresh_token_reused";
    public const string AccountDeleted = "account.deleted";

    /// <summary>
    /// Money going back: a credits ticket refunded, a card refund Kinder asked for, or one Stripe reports that Kinder did
    /// not ask for (made at Stripe). The actor is who caused it (the attendee leaving), null for the system.
    /// </summary>
    public const string PaymentRefunded = "payment.refunded";

    public const string RolesChanged = "admin.user.roles_changed";
    public const string UserSuspended = "admin.user.suspended";
    public const string UserBanned = "admin.user.banned";
    public const string UserReinstated = "admin.user.reinstated";
    public const string PasswordResetSent = "admin.user.password_reset_sent";
    public const string BroadcastCreated = "admin.broadcast.created";

    public const string ReportResolved = "moderation.report.resolved";
    public const string ContentRemoved = "moderation.content.removed";
    public const string UserWarned = "moderation.user.warned";
    public const string ReportContextViewed = "moderation.report.context_viewed";

    /// <summary>Automatic escalation (<see cref="ModerationOptions"/>): the actor is null.</summary>
    public const string UserAutoSuspended = "moderation.user.auto_suspended";

    /// <summary>A suspension ran out and Workers showed the organizer's hidden events again: the actor is null.</summary>
    public const string SuspensionExpired = "moderation.user.suspension_expired";

    /// <summary>The first admin (<c>Kinder.Workers make-admin</c>): the actor is null.</summary>
    public const string AdminGranted = "system.admin_granted";
}
