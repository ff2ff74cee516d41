using Kinder.Core.Data;
using Kinder.Messaging;
using Kinder.Messaging.Outbox;

namespace Kinder.Core.Outbox;

public static class IntegrationEvents
{
    /// <summary>
    /// Adds an integration event to the outbox of the current unit of work; it is published only if
    /// <c>SaveChanges</c> commits. The caller's trace context is kept so the trace continues in Workers.
    /// </summary>
    public static OutboxMessage AddIntegrationEvent<T>(this KinderDbContext db, string topic, string key, T integrationEvent)
        where T : class, IRecord
    {
        var message = OutboxMessage.For(topic, key, integrationEvent);
        db.OutboxMessages.Add(message);
        return message;
    }
}
