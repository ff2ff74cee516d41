using System.Collections.Concurrent;
using System.Diagnostics;
using Kinder.Messaging;

namespace Kinder.Tests.Messaging;

/// <summary>What a test's handler did: every attempt, every success, and the span that was current meanwhile.</summary>
public sealed class HandlerProbe
{
    /// <summary>Runs on every attempt; throwing fails the attempt.</summary>
    public Func<KafkaRecord, int, Task> Behaviour { get; init; } = (_, _) => Task.CompletedTask;

    public ConcurrentQueue<KafkaRecord> Attempts { get; } = new();
    public ConcurrentQueue<KafkaRecord> Handled { get; } = new();
    public ConcurrentQueue<Activity?> CurrentActivities { get; } = new();

    public int AttemptsFor(Guid messageId) => Attempts.Count(record => record.Envelope.Id == messageId);

    public async Task HandleAsync(KafkaRecord record)
    {
        Attempts.Enqueue(record);
        CurrentActivities.Enqueue(Activity.Current);
        await Behaviour(record, AttemptsFor(record.Envelope.Id));
        Handled.Enqueue(record);
    }
}

public sealed class ProbeHandler(HandlerProbe probe) : IKafkaRecordHandler
{
    public Task HandleAsync(KafkaRecord record, CancellationToken cancellationToken) => probe.HandleAsync(record);
}
