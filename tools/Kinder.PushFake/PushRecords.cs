using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kinder.PushFake;

/// <summary>An accepted push: which service, to which token, the headers that matter and the payload as sent.</summary>
public sealed record PushRecord(string Id, string Provider, string Token, DateTimeOffset ReceivedAt,
    IReadOnlyDictionary<string, string> Headers, JsonNode Payload);

/// <summary>Every accepted push, in memory (for <c>GET /pushes</c> and the tests) and as one JSON file each in the folder.</summary>
public sealed class PushRecords(string? folder)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly ConcurrentQueue<PushRecord> records = new();
    private long sequence;

    public IReadOnlyList<PushRecord> All => [.. records];

    public PushRecord Add(string provider, string token, IReadOnlyDictionary<string, string> headers, JsonNode payload)
    {
        var number = Interlocked.Increment(ref sequence);
        var record = new PushRecord($"{provider}-{number}", provider, token, DateTimeOffset.UtcNow, headers, payload);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
            // Sortable by time; the sequence keeps two in the same millisecond apart.
            File.WriteAllText(Path.Combine(folder, $"{record.ReceivedAt:yyyyMMdd-HHmmss-fff}-{number:D6}-{provider}.json"),
                JsonSerializer.Serialize(record, Json));
        }
        records.Enqueue(record);
        return record;
    }
}
