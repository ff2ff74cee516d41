using System.Globalization;

namespace Kinder.KafkaMock;

/// <summary>Command line: <c>--brokers N</c>, <c>--partitions N</c>, <c>--bootstrap-file PATH</c>.</summary>
/// <remarks>
/// There is no <c>--port</c>: librdkafka's mock brokers always bind an ephemeral loopback port picked by the kernel
/// (rd_kafka_mock_broker_set_host_port only changes the advertised address, not the listener). Callers read the
/// address from <c>BOOTSTRAP=</c> on stdout or from the bootstrap file.
/// </remarks>
internal sealed record MockArguments(int Brokers, int Partitions, string? BootstrapFile)
{
    public const string Usage = "usage: Kinder.KafkaMock [--brokers N] [--partitions N] [--bootstrap-file PATH]";

    public static MockArguments Parse(string[] args)
    {
        var arguments = new MockArguments(Brokers: 1, Partitions: 4, BootstrapFile: null);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            arguments = args[i] switch
            {
                "--brokers" => arguments with { Brokers = Positive(args[i], Value()) },
                "--partitions" => arguments with { Partitions = Positive(args[i], Value()) },
                "--bootstrap-file" => arguments with { BootstrapFile = Value() },
                "--port" => throw new ArgumentException(
                    "--port is not supported: librdkafka's mock brokers always listen on ephemeral ports. Use --bootstrap-file."),
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }
        return arguments;
    }

    private static int Positive(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{option} needs a positive whole number, not '{value}'.");
}
