using System.Security.Cryptography;
using System.Text;

namespace Kinder.Core.Chat;

/// <summary>
/// A message's id is a name-based UUID (RFC 9562 version 8) of its conversation, sender and client message id: the
/// Api can answer <c>202</c> with the id before Workers persist it, and a client retry, even one racing the first
/// send, names the same message, which the processor inserts once.
/// </summary>
public static class MessageIds
{
    public static Guid For(Guid conversationId, Guid? senderId, string clientMessageId)
    {
        var name = $"{conversationId:N}/{senderId?.ToString("N") ?? "system"}/{clientMessageId}";
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}
