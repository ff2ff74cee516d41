using System.Globalization;

namespace Kinder.SmtpSink;

/// <summary>Command line: <c>--port N</c> (default 7025), <c>--dir PATH</c> (default <c>.kinder/mail</c>).</summary>
internal sealed record SinkArguments(int Port, string Directory)
{
    public const int DefaultPort = 7025;
    public const string Usage = "usage: Kinder.SmtpSink [--port N] [--dir PATH]";

    public static SinkArguments Parse(string[] args)
    {
        var arguments = new SinkArguments(DefaultPort, Path.Combine(".kinder", "mail"));
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            arguments = args[i] switch
            {
                "--port" => arguments with { Port = ParsePort(Value()) },
                "--dir" => arguments with { Directory = Value() },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }
        return arguments;
    }

    private static int ParsePort(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535
            ? port
            : throw new ArgumentException($"--port needs a port number (0-65535), not '{value}'.");
}
