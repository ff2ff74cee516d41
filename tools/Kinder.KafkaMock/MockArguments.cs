using System.Globalization;

namespace Kinder.KafkaMock;

/// <summary>
/// Command line: <c>--brokers N</c>, <c>--partitions N</c> (every topic; default 4), <c>--chat-partitions N</c> (the
/// chat path's two topics; default 16), <c>--port N</c>, <c>--bootstrap-file PATH</c>, <c>--retention SECONDS</c>
/// (records older than that are deleted, as with a broker's <c>retention.ms</c>; 0, the default, keeps them until
/// librdkafka's own cap of 100,000 message sets per partition), <c>--consumed-retention SECONDS</c> (a chat-path
/// record every group in <see cref="Kinder.Messaging.ChatPathGroups"/> has committed past goes once it is that old;
/// 0, the default, off; shorter than <c>--retention</c>).
/// </summary>
/// <remarks>
/// <para>The mock finds a fetch's offset by walking its partition's list of message sets from the oldest (no index), so a
/// busy topic on few partitions costs CPU on every fetch in proportion to the records it keeps per partition: the chat
/// topics, at a message per set, get four times the partitions.</para>
/// <para>librdkafka's mock brokers always bind an ephemeral loopback port picked by the kernel
/// (rd_kafka_mock_broker_set_host_port only changes the advertised address, not the listener). <c>--port</c> adds a
/// fixed bootstrap address in front of them (<see cref="BootstrapRelay"/>); the address is also printed as
/// <c>BOOTSTRAP=</c> on stdout and written to the bootstrap file.</para>
/// </remarks>
internal sealed record MockArguments(int Brokers, int Partitions, int ChatPartitions, int? Port, string? BootstrapFile,
    int RetentionSeconds, int ConsumedRetentionSeconds)
{
    public const string Usage = "usage: Kinder.KafkaMock [--brokers N] [--partitions N] [--chat-partitions N] [--port N] " +
                                "[--bootstrap-file PATH] [--retention SECONDS] [--consumed-retention SECONDS]";

    public static MockArguments Parse(string[] args)
    {
        var arguments = new MockArguments(Brokers: 1, Partitions: 4, ChatPartitions: 16, Port: null, BootstrapFile: null, RetentionSeconds: 0,
            ConsumedRetentionSeconds: 0);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            arguments = args[i] switch
            {
                "--brokers" => arguments with { Brokers = Positive(args[i], Value()) },
                "--partitions" => arguments with { Partitions = Positive(args[i], Value()) },
                "--chat-partitions" => arguments with { ChatPartitions = Positive(args[i], Value()) },
                "--port" => arguments with { Port = Positive(args[i], Value()) },
                "--bootstrap-file" => arguments with { BootstrapFile = Value() },
                "--retention" => arguments with { RetentionSeconds = NonNegative(args[i], Value()) },
                "--consumed-retention" => arguments with { ConsumedRetentionSeconds = NonNegative(args[i], Value()) },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }
        if (arguments.ConsumedRetentionSeconds > 0 && arguments.ConsumedRetentionSeconds >= arguments.RetentionSeconds)
            throw new ArgumentException("--consumed-retention needs a --retention longer than itself.");
        return arguments;
    }

    private static int Positive(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{option} needs a positive whole number, not '{value}'.");

    private static int NonNegative(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"{option} needs a whole number of 0 or more, not '{value}'.");
}
