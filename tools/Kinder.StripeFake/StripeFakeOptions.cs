namespace Kinder.StripeFake;

/// <summary>
/// How the fake is reached and whom it calls back (section <c>StripeFake</c>). The defaults are development values
/// that only this fake accepts; real Stripe keys never belong here.
/// </summary>
public sealed class StripeFakeOptions
{
    public const string SectionName = "StripeFake";
    public const string DevelopmentApiKey = "sk_test_kinder_local_fake";
    public const string DevelopmentWebhookSecret = "whsec_kinder_local_fake";

    /// <summary>Loopback port to listen on; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>The secret key callers must send as <c>Authorization: Bearer</c>.</summary>
    public string ApiKey { get; set; } = DevelopmentApiKey;

    /// <summary>Where every event is POSTed (Kinder's <c>/api/v1/payments/webhooks/stripe</c>); none: events are only kept.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The signing secret of that endpoint (Stripe's <c>whsec_…</c>).</summary>
    public string WebhookSecret { get; set; } = DevelopmentWebhookSecret;

    /// <summary>The <c>api_version</c> events carry: Stripe.net refuses events of another release train.</summary>
    public string ApiVersion { get; set; } = "2026-10-28.endive";

    /// <summary>How often a delivery that was not answered 2xx is tried in all (Stripe retries for days).</summary>
    public int DeliveryAttempts { get; set; } = 5;

    /// <summary>
    /// The recurring prices subscriptions may use, as <c>id → "amount currency interval"</c> (e.g. <c>799 eur month</c>);
    /// Kinder's premium plan's price by default, so the local mode works without setup.
    /// </summary>
    public Dictionary<string, string> Prices { get; set; } = new(StringComparer.Ordinal)
    {
        ["price_kinder_premium_monthly"] = "799 eur month",
    };
}
