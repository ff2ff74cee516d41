using System.Diagnostics;

namespace Kinder.Messaging;

/// <summary>Publish and receive spans, tagged with OpenTelemetry's messaging semantic conventions.</summary>
internal static class KafkaActivities
{
    public static Activity? StartPublish(string topic, string? key, string? messageId, string? storedTraceParent, string? storedTraceState)
    {
        // With no ambient span (the outbox relay), continue the trace of the request that wrote the record.
        var parent = Activity.Current is null && ActivityContext.TryParse(storedTraceParent, storedTraceState, isRemote: true, out var stored)
            ? stored
            : default;
        var activity = MessagingTelemetry.ActivitySource.StartActivity($"{topic} publish", ActivityKind.Producer, parent);
        return Tag(activity, topic, key, messageId, "publish", "send");
    }

    public static Activity? StartReceive(string topic, string? key, string? messageId, string? traceParent, string? traceState)
    {
        var parent = ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var remote) ? remote : default;
        var activity = MessagingTelemetry.ActivitySource.StartActivity($"{topic} receive", ActivityKind.Consumer, parent);
        return Tag(activity, topic, key, messageId, "receive", "process");
    }

    /// <summary>The trace context to write into a record: the span's own, else whatever the caller already had.</summary>
    public static (string? TraceParent, string? TraceState) Outgoing(Activity? activity, string? fallbackTraceParent, string? fallbackTraceState)
    {
        var source = activity ?? Activity.Current;
        return source is { IdFormat: ActivityIdFormat.W3C }
            ? (source.Id, source.TraceStateString)
            : (fallbackTraceParent, fallbackTraceState);
    }

    public static void Failed(Activity? activity, Exception exception)
    {
        activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity?.AddException(exception);
    }

    private static Activity? Tag(Activity? activity, string topic, string? key, string? messageId, string operation, string operationType)
    {
        if (activity is null) return null;
        activity.SetTag("messaging.system", "kafka");
        activity.SetTag("messaging.destination.name", topic);
        activity.SetTag("messaging.operation.name", operation);
        activity.SetTag("messaging.operation.type", operationType);
        if (key is not null) activity.SetTag("messaging.kafka.message.key", key);
        if (messageId is not null) activity.SetTag("messaging.message.id", messageId);
        return activity;
    }
}
