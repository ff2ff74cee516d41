namespace Kinder.Messaging;

/// <summary>A record whose type no handler of a consumer that rejects other types takes.</summary>
public sealed class UnexpectedRecordTypeException(string message) : Exception(message);
