namespace Kinder.Core.Admin;

/// <summary>
/// One UTC day of the analytics series (<c>GET /admin/analytics</c>), kept by Workers' rollup for days that are over,
/// so the series reads a row per day instead of counting a million attendance rows; today is always counted live.
/// </summary>
public sealed class DailyActivity
{
    public required DateOnly Day { get; init; }

    public long Signups { get; set; }

    public long EventsCreated { get; set; }

    /// <summary>Attendance answers given that day (going, interested, not going, waitlisted).</summary>
    public long Rsvps { get; set; }

    public long Messages { get; set; }

    /// <summary>Succeeded payments in <see cref="Currency"/>, in minor units.</summary>
    public long RevenueMinor { get; set; }

    /// <summary>The app's currency when the day was counted: a row in another currency is counted again, live.</summary>
    public required string Currency { get; set; }

    public DateTimeOffset ComputedAt { get; set; }
}
