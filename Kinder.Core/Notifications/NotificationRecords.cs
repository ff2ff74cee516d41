using System.Text.Json;
using System.Text.Json.Serialization;
using Kinder.Messaging;

namespace Kinder.Core.Notifications;

/// <summary>The ids a client deep-links with; absent ones are left out of the JSON.</summary>
public sealed record NotificationData(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? EventId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? ConversationId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? MessageId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? UserId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? PaymentId = null)
{
    public string ToJson() => JsonSerializer.Serialize(this, JsonSerializerOptions.Web);

    public static NotificationData FromJson(string json) =>
        JsonSerializer.Deserialize<NotificationData>(json, JsonSerializerOptions.Web) ?? new NotificationData();

    /// <summary>The ids as strings, for a push payload.</summary>
    public IReadOnlyDictionary<string, string> ToStrings()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (EventId is { } eventId) values["eventId"] = eventId.ToString();
        if (ConversationId is { } conversationId) values["conversationId"] = conversationId.ToString();
        if (MessageId is { } messageId) values["messageId"] = messageId.ToString();
        if (UserId is { } userId) values["userId"] = userId.ToString();
        if (PaymentId is { } paymentId) values["paymentId"] = paymentId.ToString();
        return values;
    }
}

/// <summary>A notification as clients see it (the feed, sync and <c>notification:new</c>).</summary>
public sealed record NotificationView(Guid Id, string Type, string Title, string Body, NotificationData Data,
    DateTimeOffset? ReadAt, DateTimeOffset CreatedAt);

/// <summary>
/// On <c>notifications.created</c>, keyed by the user id: a notification was stored for the user's feed; Realtime
/// sends it to their connections as <c>notification:new</c> with the new unread count.
/// </summary>
public sealed record NotificationCreated(Guid UserId, NotificationView Notification, int UnreadCount) : IRecord
{
    public static string RecordType => "NotificationCreated";
}
