using System.Globalization;

namespace Kinder.KafkaMock;

/// <summary>Command line: <c>--brokers N</c>, <c>--partitions N</c>, <c>--port N</c>, <c>--bootstrap-file PATH</c>.</summary>
/// <remarks>
/// librdkafka's mock brokers always bind an ephemeral loopback port picked by the kernel
/// (rd_kafka_mock_broker_set_host_port only changes the advertised address, not the listener). <c>--port</c> adds a
/// fixed bootstrap address in front of them (<see cref="BootstrapRelay"/>); the address is also printed as
/// <c>BOOTSTRAP=</c> on stdout and written to the bootstrap file.
/// </remarks>
internal sealed record MockArguments(int Brokers, int Partitions, int? Port, string? BootstrapFile)
{
    public const string Usage = "usage: Kinder.KafkaMock [--brokers N] [--partitions N] [--port N] [--bootstrap-file PATH]";

    public static MockArguments Parse(string[] args)
    {
        var arguments = new MockArguments(Brokers: 1, Partitions: 4, Port: null, BootstrapFile: null);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            arguments = args[i] switch
            {
                "--brokers" => arguments with { Brokers = Positive(args[i], Value()) },
                "--partitions" => arguments with { Partitions = Positive(args[i], Value()) },
                "--port" => arguments with { Port = Positive(args[i], Value()) },
                "--bootstrap-file" => arguments with { BootstrapFile = Value() },
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
