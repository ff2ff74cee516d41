namespace Kinder.Core.Moderation;

/// <summary>The audit log's target types.</summary>
public static class AuditTargets
{
    public const string User = "user";
    public const string Event = "event";
    public const string Message = "message";
    public const string Report = "report";
    public const string Broadcast = "broadcast";
    public const string Payment = "payment";
    public const string Ticket = "ticket";
}
