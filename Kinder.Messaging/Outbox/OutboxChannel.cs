namespace Kinder.Messaging.Outbox;

/// <summary>The PostgreSQL NOTIFY channel the outbox trigger signals on (see the InitialPlatform migration).</summary>
public static class OutboxChannel
{
    public const string Name = "outbox_messages";
}
