using Kinder.Core.Chat;

namespace Kinder.Workers.Push;

/// <summary>
/// A <see cref="PushRequested"/> as both services send it: title and body, the deep-link data (strings only, as FCM
/// requires), the badge and the collapse id a newer push replaces an older one by on the phone.
/// </summary>
public sealed record PushMessage(string Title, string Body, IReadOnlyDictionary<string, string> Data, int? Badge,
    string CollapseId)
{
    /// <summary>Longest <c>apns-collapse-id</c> APNs takes, in bytes.</summary>
    public const int MaxCollapseIdLength = 64;

    /// <param name="pushKey">Names the push (<see cref="DevicePushSender.KeyOf"/>): the collapse id when the record has none,
    /// so a push sent again after a crash replaces its first copy on the phone instead of showing twice.</param>
    public static PushMessage From(PushRequested push, Guid pushKey)
    {
        var data = new Dictionary<string, string> { ["type"] = push.Kind };
        if (push.NotificationId is { } notificationId)
            data["notificationId"] = notificationId.ToString();
        if (push.ConversationId is { } conversationId)
            data["conversationId"] = conversationId.ToString();
        if (push.MessageId is { } messageId)
            data["messageId"] = messageId.ToString();
        foreach (var (key, value) in push.Data ?? new Dictionary<string, string>())
            data[key] = value;
        var collapseId = string.IsNullOrEmpty(push.CollapseKey) ? pushKey.ToString("N") : push.CollapseKey;
        if (System.Text.Encoding.UTF8.GetByteCount(collapseId) > MaxCollapseIdLength)
            collapseId = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes(collapseId)))[..MaxCollapseIdLength];
        return new PushMessage(push.Title, push.Body, data, push.Badge, collapseId);
    }
}

/// <summary>What a push service said about one device.</summary>
public enum PushOutcome
{
    Sent,

    /// <summary>The token will never work again (uninstalled, expired, not a token): the device is deleted.</summary>
    DeadToken,
}

/// <summary>
/// The push service failed in a way a later attempt may not (throttled, unavailable, our credentials refused):
/// thrown so the consumer retries the record with backoff and dead-letters it in the end.
/// </summary>
public sealed class PushServiceException(string message, Exception? innerException = null) : Exception(message, innerException);
