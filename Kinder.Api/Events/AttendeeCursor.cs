using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Kinder.Api.Events;

/// <summary>
/// The opaque cursor of an attendee page: the attendance sequence number of the last item. Sequence numbers are unique
/// per event and only grow, so a page never repeats or skips an attendee, and newcomers arrive at the end.
/// </summary>
public static class AttendeeCursor
{
    private const string Prefix = "a1:";

    public static string Encode(long sequence) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + sequence.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string? cursor, out long sequence)
    {
        sequence = 0;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith(Prefix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
