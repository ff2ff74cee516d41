namespace Kinder.Messaging;

/// <summary>
/// When an every-instance consumer (<see cref="KafkaServiceCollectionExtensions.AddKafkaEveryInstanceConsumer{THandler}"/>)
/// starts reading: once every partition of its topics is assigned at the offset that was its end then. What is
/// produced after <see cref="Started"/> completes reaches the handler; what was produced before does not.
/// </summary>
public sealed class KafkaConsumerStart
{
    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Started => started.Task;

    internal void Set() => started.TrySetResult();
}
