using Microsoft.Extensions.Options;

namespace Kinder.Realtime.Delivery;

/// <summary>
/// Messages whose <c>message:new</c> this instance sent lately. Workers announce a message that already exists again (a
/// client retrying a send with the same <c>clientMessageId</c> makes a second record for the same message); the members
/// must get one <c>message:new</c>, not two. Every instance reads every record, so its own memory is enough: the ids
/// of the last <see cref="RealtimeOptions.AnnouncedMessageMemory"/>. Marked after the send: a crash in between sends
/// it again (clients replace by id) rather than never.
/// </summary>
public sealed class AnnouncedMessages(IOptions<RealtimeOptions> options, TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly HashSet<Guid> ids = [];
    private readonly Queue<(Guid Id, long ForgetAt)> order = new();
    private readonly long memory = (long)options.Value.AnnouncedMessageMemory.TotalMilliseconds;

    public bool WereAnnounced(Guid messageId)
    {
        lock (gate)
            return ids.Contains(messageId);
    }

    public void Mark(Guid messageId)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (gate)
        {
            while (order.TryPeek(out var oldest) && oldest.ForgetAt <= now)
                ids.Remove(order.Dequeue().Id);
            if (ids.Add(messageId))
                order.Enqueue((messageId, now + memory));
        }
    }
}
