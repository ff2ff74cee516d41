namespace Kinder.Tests.Messaging;

/// <summary>A stand-in integration event for the messaging tests.</summary>
public sealed record ChatMessageSent(string ConversationId, int Sequence, string Text)
{
    public const string Type = "chat.message-sent";
}
