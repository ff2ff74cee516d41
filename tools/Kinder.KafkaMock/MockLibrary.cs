namespace Kinder.KafkaMock;

/// <summary>
/// Finds the mock cluster's own librdkafka: librdkafka's source with <c>librdkafka/mock-fetch.patch</c>, which
/// <c>./kinder run</c> and <c>./kinder test</c> build into <c>.kinder/librdkafka/</c> (scripts/lib/mock-librdkafka.sh).
/// </summary>
/// <remarks>
/// The patch makes the mock answer like a broker where its timing matters to Kinder: a fetch that finds nothing is parked
/// and answered with the first record that arrives (upstream holds the empty answer for the consumer's whole
/// <c>fetch.wait.max.ms</c>), a fetch returns every record set that fits (upstream: one), an offset is found from the
/// log's end (upstream walks from the start), and its connections send without Nagle's delay (as a broker's do).
/// docs/decisions/0001 says why. The services keep Confluent.Kafka's own build; this one is loaded beside it.
/// </remarks>
public static class MockLibrary
{
    /// <summary>Below the repository root, as the build script writes it.</summary>
    public static readonly string RelativePath = Path.Combine(".kinder", "librdkafka", "librdkafka.so");

    /// <summary>The nearest build above this program's directory (the repository it was built in).</summary>
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, RelativePath);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new DllNotFoundException(
            $"The Kafka mock's librdkafka ({RelativePath}) was not found above {AppContext.BaseDirectory}: " +
            "./kinder run and ./kinder test build it (scripts/lib/mock-librdkafka.sh).");
    }
}
