namespace Kinder.Messaging;

/// <summary>A record that is not a Kinder envelope (missing headers, or a value that is not JSON). It is dead-lettered
/// at once: retrying cannot fix it.</summary>
public sealed class MalformedEnvelopeException(string message, Exception? innerException = null)
    : Exception(message, innerException);
