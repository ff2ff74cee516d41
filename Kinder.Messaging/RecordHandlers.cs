using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Messaging;

/// <summary>
/// Which <see cref="IRecordHandler{TRecord}"/> takes which record type, for one consumer: records are dispatched by
/// their envelope's type, never by a switch on type strings. Types without a handler share the topics with ours and
/// are skipped.
/// </summary>
public sealed class RecordHandlers
{
    private readonly Dictionary<string, (Type Handler, Func<IServiceProvider, KafkaRecord, CancellationToken, Task> Handle)> routes =
        new(StringComparer.Ordinal);

    private bool rejectOthers;

    public IReadOnlyCollection<string> RecordTypes => routes.Keys;

    /// <summary>The handler types, which the registration adds to the container as scoped services.</summary>
    public IEnumerable<Type> HandlerTypes => routes.Values.Select(route => route.Handler).Distinct();

    public RecordHandlers Add<TRecord, THandler>()
        where TRecord : IRecord
        where THandler : class, IRecordHandler<TRecord>
    {
        if (!routes.TryAdd(TRecord.RecordType, (typeof(THandler), (services, record, cancellationToken) =>
                services.GetRequiredService<THandler>().HandleAsync(record.Envelope.Deserialize<TRecord>(), record, cancellationToken))))
            throw new InvalidOperationException($"Record type '{TRecord.RecordType}' already has a handler.");
        return this;
    }

    /// <summary>For topics that carry only our types: any other type fails (retried, then dead-lettered) instead of
    /// being skipped, so a producer's mistake shows.</summary>
    public RecordHandlers RejectOtherTypes()
    {
        rejectOthers = true;
        return this;
    }

    /// <summary>Hands the record to its type's handler, resolved from <paramref name="services"/>; a type with no
    /// handler completes at once, or fails after <see cref="RejectOtherTypes"/>.</summary>
    public Task DispatchAsync(IServiceProvider services, KafkaRecord record, CancellationToken cancellationToken)
    {
        if (routes.TryGetValue(record.Envelope.Type, out var route))
            return route.Handle(services, record, cancellationToken);
        return rejectOthers
            ? Task.FromException(new UnexpectedRecordTypeException(
                $"Record {record.Envelope.Id} on {record.Topic} is a '{record.Envelope.Type}', which no handler here takes."))
            : Task.CompletedTask;
    }
}
