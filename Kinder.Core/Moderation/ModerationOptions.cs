using Kinder.Core.RateLimiting;

namespace Kinder.Core.Moderation;

/// <summary>Section <c>Moderation</c>: report limits and automatic escalation.</summary>
public sealed class ModerationOptions
{
    public const string SectionName = "Moderation";

    /// <summary><c>POST /reports</c> per reporter.</summary>
    public RateLimitRule Reports { get; set; } = new(20, TimeSpan.FromHours(1));

    /// <summary>Upheld reports against a user within <see cref="EscalationWindow"/> that suspend them automatically; 0: never.</summary>
    public int EscalationThreshold { get; set; } = 3;

    public TimeSpan EscalationWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long an automatic suspension lasts.</summary>
    public int EscalationSuspensionDays { get; set; } = 7;

    /// <summary>How often Workers show again the events hidden by suspensions that have run out.</summary>
    public TimeSpan SuspensionSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Messages shown before and after a reported one (moderators never read the rest of a private conversation).</summary>
    public int MessageContext { get; set; } = 5;

    public bool IsValid => Reports.IsValid && EscalationThreshold >= 0 && EscalationWindow > TimeSpan.Zero
        && EscalationSuspensionDays > 0 && SuspensionSweepInterval > TimeSpan.Zero && MessageContext is >= 0 and <= 50;
}
