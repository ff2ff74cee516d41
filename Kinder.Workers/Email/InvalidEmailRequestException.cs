namespace Kinder.Workers.Email;

/// <summary>
/// An email request that can never be sent as it is (an unknown template, a missing value, a bad address). It fails
/// every attempt the same way, so the consumer host's bounded retries end with it on the dead-letter topic.
/// </summary>
public sealed class InvalidEmailRequestException(string message) : Exception(message);
