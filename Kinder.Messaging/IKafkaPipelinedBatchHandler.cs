namespace Kinder.Messaging;

/// <summary>
/// A batch handler whose last step is producing records (say, announcing what it stored): it returns as soon as those
/// records are handed to the producer, in order, with a task that completes when the broker has acknowledged them.
/// The host works on the next batch meanwhile and acknowledges this one (stores its offsets) only once that task
/// completes, in order; if it fails, the batch's records go through the one-record path as when
/// <see cref="IKafkaBatchHandler.HandleBatchAsync"/> throws. Under load a batch then costs its own work, not also the
/// broker's round trip for what it produced.
/// </summary>
public interface IKafkaPipelinedBatchHandler : IKafkaBatchHandler
{
    Task<Task> StartBatchAsync(IReadOnlyList<KafkaRecord> records, CancellationToken cancellationToken);
}
