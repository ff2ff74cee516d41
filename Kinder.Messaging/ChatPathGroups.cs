namespace Kinder.Messaging;

/// <summary>
/// The consumer groups that read the chat path's topics and commit what they have settled (Workers' default names).
/// The mock broker deletes a chat-path record once every group reading its topic has committed past it and it is a
/// minute old (<c>Kinder.KafkaMock --consumed-retention</c>, docs/decisions/0001): its fetches walk the log.
/// </summary>
/// <remarks>
/// Realtime reads <c>messages.outgoing</c> too, at every instance and without a group's commits: from where the topic
/// ends when it starts, so it needs no older record; the minute is its slack. A group added on these topics belongs
/// here, or the mock may delete a record older than the minute that it has not read.
/// </remarks>
public static class ChatPathGroups
{
    /// <summary>Persists <c>messages.incoming</c> (Workers' MessageProcessor).</summary>
    public const string Processor = "chat-processor";

    /// <summary>Schedules offline members' pushes from <c>messages.outgoing</c> (Workers' ChatNotificationHandler).</summary>
    public const string OfflinePushes = "workers-offline-pushes";

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> ReadersByTopic =
        new Dictionary<string, IReadOnlyList<string>>
        {
            [Topics.MessagesIncoming] = [Processor],
            [Topics.MessagesOutgoing] = [OfflinePushes],
        };
}
