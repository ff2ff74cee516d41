using System.Buffers;

namespace Kinder.SmtpSink;

/// <summary>One line read from the client, without its line ending; <see cref="TooLong"/> when it was cut.</summary>
internal readonly record struct SmtpLine(ReadOnlyMemory<byte> Content, bool TooLong);

/// <summary>
/// Reads CRLF-terminated lines as bytes (a bare LF is accepted too), so 8-bit message data passes through
/// untouched. One buffer serves commands and DATA alike, which is what makes pipelined commands work.
/// </summary>
internal sealed class SmtpLineReader(Stream stream)
{
    private readonly byte[] buffer = new byte[8192];
    private int start;
    private int end;

    /// <returns>The next line, or <c>null</c> when the client closed the connection.</returns>
    /// <remarks>A line longer than <paramref name="maxLength"/> is still consumed to its end, but only its first
    /// <paramref name="maxLength"/> bytes are kept.</remarks>
    public async ValueTask<SmtpLine?> ReadLineAsync(int maxLength, CancellationToken cancellationToken)
    {
        var line = new ArrayBufferWriter<byte>(256);
        var tooLong = false;
        while (true)
        {
            if (start == end)
            {
                start = 0;
                end = await stream.ReadAsync(buffer, cancellationToken);
                if (end == 0) return null;
            }

            var available = buffer.AsSpan(start, end - start);
            var lineFeed = available.IndexOf((byte)'\n');
            var chunk = lineFeed >= 0 ? available[..lineFeed] : available;
            if (!tooLong && line.WrittenCount + chunk.Length <= maxLength + 1) // +1: room for the CR
                line.Write(chunk);
            else
                tooLong = true;
            start += lineFeed >= 0 ? lineFeed + 1 : available.Length;
            if (lineFeed >= 0) break;
        }

        var content = line.WrittenMemory;
        if (content.Length > 0 && content.Span[^1] == (byte)'\r') content = content[..^1];
        if (content.Length > maxLength)
        {
            content = content[..maxLength];
            tooLong = true;
        }
        return new SmtpLine(content, tooLong);
    }
}
