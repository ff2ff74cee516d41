using System.Text;
using Kinder.Api.Calendar;

namespace Kinder.Tests.Calendar;

/// <summary>RFC 5545 content lines: escaping, folding at 75 octets, CRLF, UTC times.</summary>
public sealed class CalendarWriterTests
{
    [Fact]
    public void Text_escapes_backslash_semicolon_comma_and_newlines()
    {
        Assert.Equal(@"a\\b\;c\,d\ne\nf\ng", CalendarWriter.EscapeText("a\\b;c,d\r\ne\nf\rg"));
    }

    [Fact]
    public void Text_drops_control_characters_but_keeps_tabs()
    {
        Assert.Equal("a\tb", CalendarWriter.EscapeText("a\u0001\t\u007Fb"));
    }

    [Fact]
    public void Lines_end_in_crlf_and_none_exceeds_75_octets_even_with_multibyte_text()
    {
        var text = string.Concat(Enumerable.Repeat("Wanderung über den Höhenweg 🥾, ", 8));

        var output = new CalendarWriter().Begin("VCALENDAR").Text("DESCRIPTION", text).End("VCALENDAR").ToString();

        Assert.EndsWith("\r\n", output);
        Assert.DoesNotContain("\n", output.Replace("\r\n", ""));
        var lines = output.Split("\r\n")[..^1];
        Assert.All(lines, line => Assert.InRange(Encoding.UTF8.GetByteCount(line), 1, CalendarWriter.MaxLineOctets));
        Assert.True(lines.Length > 4);
        Assert.All(lines[2..^1], line => Assert.StartsWith(" ", line));
        // Unfolding (CRLF + one space removed) gives the escaped value back whole: no character was split.
        var unfolded = output.Replace("\r\n ", "");
        Assert.Contains("DESCRIPTION:" + CalendarWriter.EscapeText(text) + "\r\n", unfolded);
    }

    [Fact]
    public void Date_times_are_written_in_utc()
    {
        var output = new CalendarWriter().DateTime("DTSTART", new DateTimeOffset(2026, 12, 5, 10, 30, 0, TimeSpan.FromHours(2))).ToString();

        Assert.Equal("DTSTART:20261205T083000Z\r\n", output);
    }
}
