using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Presence;
using Kinder.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Workers.Notifications;

/// <summary>
/// A new message's recipients who are offline on every device (no unexpired connection in Realtime's presence) get a
/// <see cref="PushRequested"/> on <c>notifications.push</c>, keyed by their user id; <see cref="PushRequestedIntegrationEventHandler"/>
/// hands it to the push sender.
/// </summary>
public sealed class OfflinePushes(OnlineUsers presence, KinderDbContext db, IKafkaProducer producer, TimeProvider time,
    ILogger<OfflinePushes> logger)
{
    public const string MessageKind = "message";
    private const int MaxPreviewLength = 140;

    public async Task RequestAsync(MessageView message, IReadOnlyList<Guid> recipientIds, CancellationToken cancellationToken)
    {
        if (message.DeletedAt is not null)
            return;
        var candidates = recipientIds.Where(id => id != message.SenderId).Distinct().ToList();
        var online = await presence.AreOnlineAsync(candidates);
        var offline = candidates.Where((_, index) => !online[index]).ToList();
        if (offline.Count == 0)
            return;

        var conversation = await db.Set<Conversation>().AsNoTracking()
            .Where(c => c.Id == message.ConversationId)
            .Select(c => new { c.Title, c.Type })
            .SingleOrDefaultAsync(cancellationToken);
        if (conversation is null)
        {
            logger.LogDebug("Message {MessageId} names conversation {ConversationId}, which is not in this database; no push",
                message.Id, message.ConversationId);
            return;
        }
        var senderName = message.SenderId is { } senderId
            ? await db.Set<User>().Where(u => u.Id == senderId).Select(u => u.DisplayName).SingleOrDefaultAsync(cancellationToken)
            : null;

        var title = conversation.Title ?? senderName ?? "Kinder";
        var preview = Preview(message);
        // In a group the title names the group, so the body says who wrote.
        var body = conversation.Title is not null && senderName is not null ? $"{senderName}: {preview}" : preview;
        var now = time.GetUtcNow();
        await Task.WhenAll(offline.Select(userId => producer.ProduceAsync(Topics.NotificationsPush, userId.ToString(),
            KafkaEnvelope.Create(new PushRequested(userId, MessageKind, title, body,
                message.ConversationId, message.Id, message.Seq, now)), cancellationToken)));
    }

    public static string Preview(MessageView message)
    {
        var text = message.Type switch
        {
            "image" => string.IsNullOrWhiteSpace(message.Body) ? "Sent a photo" : message.Body,
            "file" => string.IsNullOrWhiteSpace(message.Body) ? "Sent a file" : message.Body,
            "event_invite" => string.IsNullOrWhiteSpace(message.Body) ? "Shared an event" : message.Body,
            _ => message.Body ?? "",
        };
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length <= MaxPreviewLength ? text : string.Concat(text.AsSpan(0, MaxPreviewLength - 1), "…");
    }
}
