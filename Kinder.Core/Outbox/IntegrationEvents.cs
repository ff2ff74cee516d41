using System.Diagnostics;
using System.Text.Json;
using Kinder.Core.Data;
using Kinder.Messaging.Outbox;

namespace Kinder.Core.Outbox;

public static class IntegrationEvents
{
    private const string Suffix = "IntegrationEvent";

    /// <summary>The wire name of an integration event: its record name without the suffix (<c>ProbeRecorded</c>).</summary>
    public static string TypeName<T>() => TypeName(typeof(T));

    public static string TypeName(Type type) =>
        type.Name.EndsWith(Suffix, StringComparison.Ordinal) ? type.Name[..^Suffix.Length] : type.Name;

    /// <summary>
    /// Adds an integration event to the outbox of the current unit of work; it is published only if
    /// <c>SaveChanges</c> commits. The caller's trace context is kept so the trace continues in Workers.
    /// </summary>
    public static OutboxMessage AddIntegrationEvent<T>(this KinderDbContext db, string topic, string key, T integrationEvent)
        where T : class
    {
        var activity = Activity.Current;
        var message = new OutboxMessage
        {
            Topic = topic,
            Key = key,
            Type = TypeName<T>(),
            Payload = JsonSerializer.Serialize(integrationEvent, JsonSerializerOptions.Web),
            TraceParent = activity?.IdFormat == ActivityIdFormat.W3C ? activity.Id : null,
            TraceState = activity?.TraceStateString,
        };
        db.OutboxMessages.Add(message);
        return message;
    }
}
