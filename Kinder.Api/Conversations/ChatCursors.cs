using Kinder.Api.Infrastructure;

namespace Kinder.Api.Conversations;

/// <summary>
/// The conversation list's cursor. Paging pins the time of the first page (<see cref="AsOf"/>): every page orders the
/// caller's conversations by their last activity <em>as of that time</em>, so a conversation that gets a new message
/// while the client pages neither jumps back onto a page already read (a duplicate) nor away from the pages still to
/// come (a loss). Conversations created after <see cref="AsOf"/> wait for the next first page.
/// </summary>
public sealed record ConversationCursor(DateTimeOffset AsOf, DateTimeOffset Activity, Guid Id)
{
    public string Encode() => Cursors.Encode(this);

    public static bool TryDecode(string? cursor, out ConversationCursor? decoded) => Cursors.TryDecode(cursor, out decoded);
}

/// <summary>
/// A message page's cursor: a direction and a seq. History (the default, and <c>beforeSeq</c>) pages backwards, so
/// its next cursor names the page of older messages; catch-up (<c>afterSeq</c>) pages forwards, so its next cursor
/// names the following newer messages. Seqs have no gaps, so neither direction skips a message.
/// </summary>
public sealed record MessageCursor(bool Forward, long Seq)
{
    public string Encode() => Cursors.Encode(this);

    public static bool TryDecode(string? cursor, out MessageCursor? decoded)
    {
        if (!Cursors.TryDecode(cursor, out decoded) || decoded?.Seq < 0)
        {
            decoded = null;
            return false;
        }
        return true;
    }
}

/// <summary>The blocked-users list's cursor: when the last item was blocked and whom (newest first).</summary>
public sealed record BlockCursor(DateTimeOffset BlockedAt, Guid UserId)
{
    public string Encode() => Cursors.Encode(this);

    public static bool TryDecode(string? cursor, out BlockCursor? decoded) => Cursors.TryDecode(cursor, out decoded);
}
