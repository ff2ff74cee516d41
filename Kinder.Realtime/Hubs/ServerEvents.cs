namespace Kinder.Realtime.Hubs;

/// <summary>Names of the server → client events (docs/api/README.md, Realtime). Clients bind to these strings.</summary>
public static class ServerEvents
{
    /// <summary>First on every connection: from here on every server event for the user reaches it.</summary>
    public const string ConnectionReady = "connection:ready";
    public const string MessageNew = "message:new";
    public const string MessageRead = "message:read";
    public const string TypingStart = "typing:start";
    public const string TypingStop = "typing:stop";
    public const string PresenceOnline = "presence:online";
    public const string PresenceOffline = "presence:offline";
    public const string ReactionChanged = "reaction:changed";
    public const string NotificationNew = "notification:new";
    public const string EventUpdated = "event:updated";
    public const string ProbeRecorded = "probe:recorded";
}
