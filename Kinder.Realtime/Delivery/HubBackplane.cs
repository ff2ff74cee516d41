using System.Buffers.Binary;
using System.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kinder.Realtime.Delivery;

/// <summary>
/// Carries hub calls' events (presence, typing) to the other Realtime instances: one Redis channel that every instance
/// subscribes to once, instead of SignalR's Redis backplane, which subscribes two channels per connection (~6.6 KB of
/// queues each, and two SUBSCRIBE round trips per connect) and publishes once per recipient user. A call publishes
/// once, with the message serialized once per hub protocol; each instance writes it to the recipients it holds
/// (<see cref="LocalRecipients"/>) and skips what it published itself (it delivered that locally already).
/// Like SignalR's backplane it is at-most-once: what needs more (messages, event changes) travels through Kafka.
/// </summary>
public sealed class HubBackplane(IConnectionMultiplexer redis, IOptions<RealtimeOptions> options, IHubProtocolResolver protocols,
    LocalRecipients local, ILogger<HubBackplane> logger) : IHostedService
{
    public enum Audience : byte
    {
        Users = 1,
        Connections = 2,
        AllExcept = 3,
    }

    private readonly Guid instance = Guid.NewGuid();
    private readonly RedisChannel channel = RedisChannel.Literal($"{options.Value.RedisPrefix}:hub");
    private ChannelMessageQueue? queue;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        queue = await redis.GetSubscriber().SubscribeAsync(channel);
        queue.OnMessage(Receive);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (queue is not null)
            await queue.UnsubscribeAsync();
    }

    /// <summary>Sends <paramref name="message"/> to the <paramref name="ids"/>' connections on every other instance.</summary>
    public Task PublishAsync(Audience audience, IReadOnlyList<string> ids, SerializedHubMessage message) =>
        redis.GetSubscriber().PublishAsync(channel, Encode(audience, ids, message), CommandFlags.FireAndForget);

    // instance (16) | audience (1) | id count (4) | ids (length-prefixed UTF-8) | protocol count (4) | per protocol:
    // name (length-prefixed UTF-8), payload length (4), payload.
    private byte[] Encode(Audience audience, IReadOnlyList<string> ids, SerializedHubMessage message)
    {
        var payloads = protocols.AllProtocols.Select(protocol => (Name: Encoding.UTF8.GetBytes(protocol.Name),
            Bytes: message.GetSerializedMessage(protocol))).ToList();
        var encodedIds = ids.Select(Encoding.UTF8.GetBytes).ToList();
        var buffer = new byte[16 + 1 + 4 + encodedIds.Sum(id => 4 + id.Length) + 4 + payloads.Sum(p => 4 + p.Name.Length + 4 + p.Bytes.Length)];
        instance.TryWriteBytes(buffer);
        buffer[16] = (byte)audience;
        var at = 17;
        void Int(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(at), value);
            at += 4;
        }
        void Bytes(ReadOnlySpan<byte> bytes)
        {
            Int(bytes.Length);
            bytes.CopyTo(buffer.AsSpan(at));
            at += bytes.Length;
        }
        Int(encodedIds.Count);
        foreach (var id in encodedIds) Bytes(id);
        Int(payloads.Count);
        foreach (var (name, bytes) in payloads)
        {
            Bytes(name);
            Bytes(bytes.Span);
        }
        return buffer;
    }

    private void Receive(ChannelMessage received)
    {
        try
        {
            ReadOnlyMemory<byte> buffer = (byte[])received.Message!;
            if (new Guid(buffer.Span[..16]) == instance)
                return;
            var audience = (Audience)buffer.Span[16];
            var at = 17;
            int Int()
            {
                var value = BinaryPrimitives.ReadInt32LittleEndian(buffer.Span[at..]);
                at += 4;
                return value;
            }
            ReadOnlyMemory<byte> Bytes()
            {
                var length = Int();
                var bytes = buffer.Slice(at, length);
                at += length;
                return bytes;
            }
            var ids = new string[Int()];
            for (var i = 0; i < ids.Length; i++) ids[i] = Encoding.UTF8.GetString(Bytes().Span);
            var serialized = new SerializedMessage[Int()];
            for (var i = 0; i < serialized.Length; i++)
                serialized[i] = new SerializedMessage(Encoding.UTF8.GetString(Bytes().Span), Bytes());
            var message = new SerializedHubMessage(serialized);
            switch (audience)
            {
                case Audience.Users:
                    local.SendToUsers(ids.Select(Guid.Parse), message);
                    break;
                case Audience.Connections:
                    local.SendToConnections(ids, message);
                    break;
                case Audience.AllExcept:
                    local.SendToAllExcept(ids, message);
                    break;
            }
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or IndexOutOfRangeException)
        {
            logger.LogWarning(exception, "Dropped a malformed message on the hub backplane channel {Channel}", channel);
        }
    }
}
