namespace Kinder.Messaging;

/// <summary>
/// One consumer group: its id, the topics it reads and the handler type it resolves per record (or per batch when
/// <see cref="MaxBatchSize"/> is above 1: the handler is then an <see cref="IKafkaBatchHandler"/>), or the typed
/// <see cref="Records"/> it dispatches to. With <see cref="EveryInstance"/> it is no group: each process reads every
/// record produced after it started (<see cref="KafkaServiceCollectionExtensions.AddKafkaEveryInstanceConsumer{THandler}"/>).
/// <see cref="MaxBatchWait"/> above zero lets a batch wait that long for more records once its first is in.
/// </summary>
internal sealed record KafkaConsumerRegistration(string GroupId, IReadOnlyList<string> Topics, Type HandlerType, int MaxBatchSize = 1,
    RecordHandlers? Records = null, KafkaConsumerStart? EveryInstance = null, TimeSpan MaxBatchWait = default);
