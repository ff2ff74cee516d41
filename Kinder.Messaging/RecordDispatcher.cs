using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Messaging;

/// <summary>The record handler of a consumer group registered with <see cref="RecordHandlers"/>: hands each record
/// to the handler for its type, from the attempt's scope.</summary>
internal sealed class RecordDispatcher(IServiceProvider services, RecordHandlers handlers) : IKafkaRecordHandler
{
    public Task HandleAsync(KafkaRecord record, CancellationToken cancellationToken) =>
        handlers.DispatchAsync(services, record, cancellationToken);
}
