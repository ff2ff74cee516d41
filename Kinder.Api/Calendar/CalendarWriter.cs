using System.Globalization;
using System.Text;

namespace Kinder.Api.Calendar;

/// <summary>
/// A small RFC 5545 writer: content lines end in CRLF and are folded so no line exceeds 75 octets (a continuation
/// starts with one space, and a UTF-8 character is never split); TEXT values are escaped (backslash, semicolon,
/// comma, newlines); date-times are written in UTC (<c>20261124T180000Z</c>).
/// </summary>
public sealed class CalendarWriter
{
    public const int MaxLineOctets = 75;
    private const string CrLf = "\r\n";
    private readonly StringBuilder _output = new();

    public CalendarWriter Begin(string component) => Raw("BEGIN", component);

    public CalendarWriter End(string component) => Raw("END", component);

    /// <summary>A TEXT property, escaped.</summary>
    public CalendarWriter Text(string name, string? value) => value is null ? this : Raw(name, EscapeText(value));

    /// <summary>A DATE-TIME property in UTC.</summary>
    public CalendarWriter DateTime(string name, DateTimeOffset value) =>
        Raw(name, value.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));

    /// <summary>A property whose value is written as given (URI, GEO, enumerated values).</summary>
    public CalendarWriter Raw(string name, string value)
    {
        Fold($"{name}:{value}");
        return this;
    }

    public override string ToString() => _output.ToString();

    public static string EscapeText(string value)
    {
        var escaped = new StringBuilder(value.Length);
        for (var index = 0; index < value.Length; index++)
        {
            var c = value[index];
            switch (c)
            {
                case '\\': escaped.Append(@"\\"); break;
                case ';': escaped.Append(@"\;"); break;
                case ',': escaped.Append(@"\,"); break;
                case '\r':
                    escaped.Append(@"\n");
                    if (index + 1 < value.Length && value[index + 1] == '\n')
                    {
                        index++;
                    }
                    break;
                case '\n': escaped.Append(@"\n"); break;
                // Other control characters are not allowed in TEXT (RFC 5545 §3.3.11); tab is.
                case < ' ' and not '\t': break;
                case '\u007F': break;
                default: escaped.Append(c); break;
            }
        }
        return escaped.ToString();
    }

    private void Fold(string line)
    {
        var octets = 0;
        var index = 0;
        while (index < line.Length)
        {
            var length = char.IsHighSurrogate(line[index]) && index + 1 < line.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(line.AsSpan(index, length));
            if (octets + size > MaxLineOctets)
            {
                _output.Append(CrLf).Append(' ');
                octets = 1;
            }
            _output.Append(line, index, length);
            octets += size;
            index += length;
        }
        _output.Append(CrLf);
    }
}
