namespace Kinder.Messaging;

/// <summary>
/// A type that travels as a Kafka record. <see cref="RecordType"/> is its stable wire name, the envelope's
/// <c>message-type</c> header, declared once next to the type: renaming the class never changes the wire.
/// </summary>
public interface IRecord
{
    static abstract string RecordType { get; }
}
