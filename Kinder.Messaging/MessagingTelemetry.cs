using System.Diagnostics;

namespace Kinder.Messaging;

/// <summary>The activity source for Kafka publish/receive spans. ServiceDefaults adds <see cref="ActivitySourceName"/>
/// to OpenTelemetry tracing.</summary>
public static class MessagingTelemetry
{
    public const string ActivitySourceName = "Kinder.Messaging";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);
}
