using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Kinder.Api.Conversations;

/// <summary>
/// The conversation list's cursor. Paging pins the time of the first page (<see cref="AsOf"/>): every page orders the
/// caller's conversations by their last activity <em>as of that time</em>, so a conversation that gets a new message
/// while the client pages neither jumps back onto a page already read (a duplicate) nor away from the pages still to
/// come (a loss). Conversations created after <see cref="AsOf"/> wait for the next first page.
/// </summary>
public sealed record ConversationCursor(DateTimeOffset AsOf, DateTimeOffset Activity, Guid Id)
{
    private const string Prefix = "c1";

    public string Encode() => ChatCursorText.Encode($"{Prefix}:{AsOf.UtcTicks}:{Activity.UtcTicks}:{Id:N}");

    public static bool TryDecode(string? cursor, out ConversationCursor? decoded)
    {
        decoded = null;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }
        var parts = ChatCursorText.Decode(cursor)?.Split(':');
        if (parts is not [Prefix, var asOf, var activity, var id]
            || !long.TryParse(asOf, NumberStyles.None, CultureInfo.InvariantCulture, out var asOfTicks)
            || !long.TryParse(activity, NumberStyles.None, CultureInfo.InvariantCulture, out var activityTicks)
            || !Guid.TryParseExact(id, "N", out var guid)
            || asOfTicks > DateTimeOffset.MaxValue.UtcTicks || activityTicks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }
        decoded = new ConversationCursor(new DateTimeOffset(asOfTicks, TimeSpan.Zero),
            new DateTimeOffset(activityTicks, TimeSpan.Zero), guid);
        return true;
    }
}

/// <summary>
/// A message page's cursor: a direction and a seq. History (the default, and <c>beforeSeq</c>) pages backwards, so
/// its next cursor names the page of older messages; catch-up (<c>afterSeq</c>) pages forwards, so its next cursor
/// names the following newer messages. Seqs have no gaps, so neither direction skips a message.
/// </summary>
public sealed record MessageCursor(bool Forward, long Seq)
{
    private const string Prefix = "m1";

    public string Encode() => ChatCursorText.Encode($"{Prefix}:{(Forward ? "after" : "before")}:{Seq}");

    public static bool TryDecode(string? cursor, out MessageCursor? decoded)
    {
        decoded = null;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }
        var parts = ChatCursorText.Decode(cursor)?.Split(':');
        if (parts is not [Prefix, "after" or "before", var seq]
            || !long.TryParse(seq, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }
        decoded = new MessageCursor(parts[1] == "after", value);
        return true;
    }
}

/// <summary>The blocked-users list's cursor: when the last item was blocked and whom (newest first).</summary>
public sealed record BlockCursor(DateTimeOffset BlockedAt, Guid UserId)
{
    private const string Prefix = "b1";

    public string Encode() => ChatCursorText.Encode($"{Prefix}:{BlockedAt.UtcTicks}:{UserId:N}");

    public static bool TryDecode(string? cursor, out BlockCursor? decoded)
    {
        decoded = null;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }
        var parts = ChatCursorText.Decode(cursor)?.Split(':');
        if (parts is not [Prefix, var at, var id]
            || !long.TryParse(at, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !Guid.TryParseExact(id, "N", out var guid))
        {
            return false;
        }
        decoded = new BlockCursor(new DateTimeOffset(ticks, TimeSpan.Zero), guid);
        return true;
    }
}

internal static class ChatCursorText
{
    public static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    public static string? Decode(string cursor)
    {
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
