namespace Kinder.Core.Admin;

/// <summary>Section <c>Analytics</c>: Workers' daily rollup behind <c>GET /admin/analytics</c>.</summary>
public sealed class AnalyticsOptions
{
    public const string SectionName = "Analytics";

    /// <summary>How often the rollup runs (the first pass at start).</summary>
    public TimeSpan RollupInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Finished days counted again on every pass, for changes that land after the day (a refund, an answer taken
    /// back); older days stay as counted.
    /// </summary>
    public int RefreshDays { get; set; } = 3;

    /// <summary>How far back a fresh install (or a gap) is filled in.</summary>
    public int BackfillDays { get; set; } = 400;

    public bool IsValid => RollupInterval > TimeSpan.Zero && RefreshDays >= 1 && BackfillDays >= RefreshDays;
}
