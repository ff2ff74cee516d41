using Kinder.Api.Infrastructure;

namespace Kinder.Api.Events;

/// <summary>
/// The opaque cursor of an attendee page: the attendance sequence number of the last item. Sequence numbers are unique
/// per event and only grow, so a page never repeats or skips an attendee, and newcomers arrive at the end.
/// </summary>
public static class AttendeeCursor
{
    private sealed record Position(long AttendanceSequence);

    public static string Encode(long sequence) => Cursors.Encode(new Position(sequence));

    public static bool TryDecode(string? cursor, out long sequence)
    {
        var valid = Cursors.TryDecode<Position>(cursor, out var position) && position?.AttendanceSequence is null or >= 0;
        sequence = valid ? position?.AttendanceSequence ?? 0 : 0;
        return valid;
    }
}
