namespace Kinder.Core.Messaging;

/// <summary>One consumer group: its id, the topics it reads and the handler type it resolves per record.</summary>
internal sealed record KafkaConsumerRegistration(string GroupId, IReadOnlyList<string> Topics, Type HandlerType);
