using Kinder.Core.RateLimiting;

namespace Kinder.Api.Diagnostics;

/// <summary>The <c>Diagnostics</c> section: how often an operator may record a probe.</summary>
public sealed class ProbeOptions
{
    public const string SectionName = "Diagnostics";

    /// <summary>Probes per admin: each one reaches Kafka, Workers and Realtime, so a few a minute are plenty.</summary>
    public RateLimitRule ProbeRateLimit { get; set; } = new(10, TimeSpan.FromMinutes(1));
}
