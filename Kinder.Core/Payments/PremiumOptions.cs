namespace Kinder.Core.Payments;

/// <summary>What premium unlocks and how long a failed renewal keeps it (section <c>Premium</c>).</summary>
public sealed class PremiumOptions
{
    public const string SectionName = "Premium";

    /// <summary>After a renewal fails (<c>past_due</c>), premium stays this long while Stripe retries the card.</summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Events a free account may create in any 30 days.</summary>
    public int FreeEventsPer30Days { get; set; } = 10;

    /// <summary>Events a premium account may create in any 30 days.</summary>
    public int PremiumEventsPer30Days { get; set; } = 100;
}
