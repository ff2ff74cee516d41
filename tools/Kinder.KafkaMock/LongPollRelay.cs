using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Kinder.KafkaMock;

/// <summary>
/// A broker's long poll in front of librdkafka's mock brokers. The mock answers a Fetch with no data only when the
/// consumer's whole <c>fetch.wait.max.ms</c> is over, and never early when a record arrives, so a consumer that must
/// see records at once has to poll every few milliseconds (CPU in every consumer and in the mock, and half the
/// interval of latency on average). The relay sits on the address the mock advertises for each broker and passes
/// every request through, except that it asks the mock for a Fetch with no wait and, when the answer is empty, holds
/// it back — as a broker does — until a Produce to one of the fetch's topics has been acknowledged (then it asks
/// again) or the consumer's wait is over (then the empty answer goes out).
/// </summary>
/// <remarks>
/// <para>Every client connection gets its own connection to its broker, so the mock sees the same requests in the same
/// order; only a held Fetch's answer can overtake it, which Kafka clients allow (they match answers by correlation
/// id). Fetch and Produce are offered up to their last versions before the compact encodings
/// (<see cref="KafkaWire.MaxFetchVersion"/>, <see cref="KafkaWire.MaxProduceVersion"/>), which the relay reads.</para>
/// <para>Every append goes through a relay (the mock advertises no other address), so no record can land unseen.</para>
/// </remarks>
internal sealed class LongPollRelay : IDisposable
{
    private static readonly TimeSpan DeadlineTick = TimeSpan.FromMilliseconds(5);

    private readonly CancellationTokenSource stopping = new();
    private readonly List<TcpListener> listeners = [];
    private readonly List<Task> loops = [];
    private readonly Lock heldLock = new();
    private readonly Dictionary<string, long> topicVersions = new(StringComparer.Ordinal);
    private readonly List<Fetch> held = [];

    private LongPollRelay() { }

    /// <summary>The relay's address for each broker, in the order given.</summary>
    public IReadOnlyList<IPEndPoint> Addresses => [.. listeners.Select(listener => (IPEndPoint)listener.LocalEndpoint)];

    /// <summary>Listens on an ephemeral loopback port for each of <paramref name="brokers"/>, relaying to it.</summary>
    public static LongPollRelay Start(IReadOnlyList<IPEndPoint> brokers)
    {
        var relay = new LongPollRelay();
        foreach (var broker in brokers)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            relay.listeners.Add(listener);
            relay.loops.Add(relay.AcceptAsync(listener, broker));
        }
        relay.loops.Add(relay.ExpireAsync());
        return relay;
    }

    private async Task AcceptAsync(TcpListener listener, IPEndPoint broker)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = new Connection(this, client, broker).RunAsync(stopping.Token);
        }
    }

    /// <summary>Sends the empty answers of held fetches whose wait is over.</summary>
    private async Task ExpireAsync()
    {
        using var timer = new PeriodicTimer(DeadlineTick);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
            {
                var now = Stopwatch.GetTimestamp();
                List<Fetch>? expired = null;
                lock (heldLock)
                {
                    for (var i = held.Count - 1; i >= 0; i--)
                    {
                        if (held[i].Deadline > now) continue;
                        (expired ??= []).Add(held[i]);
                        held.RemoveAt(i);
                    }
                }
                foreach (var fetch in expired ?? [])
                    fetch.Connection.Answer(fetch.EmptyAnswer!);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A Produce to <paramref name="topics"/> was acknowledged: held fetches of those topics ask again.</summary>
    private void Produced(string[] topics)
    {
        List<Fetch>? woken = null;
        lock (heldLock)
        {
            foreach (var topic in topics)
                topicVersions[topic] = topicVersions.GetValueOrDefault(topic) + 1;
            for (var i = held.Count - 1; i >= 0; i--)
            {
                if (!held[i].Topics.Intersect(topics).Any()) continue;
                (woken ??= []).Add(held[i]);
                held.RemoveAt(i);
            }
        }
        foreach (var fetch in woken ?? [])
            fetch.Connection.Forward(fetch);
    }

    /// <summary>How many appends the fetch's topics have seen: when it grew while the fetch was out, ask again.</summary>
    private long VersionOf(string[] topics)
    {
        lock (heldLock)
        {
            long sum = 0;
            foreach (var topic in topics)
                sum += topicVersions.GetValueOrDefault(topic);
            return sum;
        }
    }

    /// <summary>Holds an empty answer, unless one of its topics got records since the fetch was sent.</summary>
    private bool TryHold(Fetch fetch, byte[] emptyAnswer)
    {
        lock (heldLock)
        {
            long sum = 0;
            foreach (var topic in fetch.Topics)
                sum += topicVersions.GetValueOrDefault(topic);
            if (sum != fetch.SentAtVersion) return false;
            fetch.EmptyAnswer = emptyAnswer;
            held.Add(fetch);
            return true;
        }
    }

    private void Release(Connection connection)
    {
        lock (heldLock)
            held.RemoveAll(fetch => fetch.Connection == connection);
    }

    public void Dispose()
    {
        stopping.Cancel();
        foreach (var listener in listeners)
            listener.Stop();
        try
        {
            Task.WaitAll([.. loops], TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
        stopping.Dispose();
    }

    /// <summary>A Fetch the relay answers itself: its request (asking for no wait), topics and deadline.</summary>
    private sealed class Fetch(Connection connection, byte[] request, KafkaWire.RequestHeader header, string[] topics, long deadline)
    {
        public Connection Connection { get; } = connection;
        public int CorrelationId { get; } = header.CorrelationId;
        public byte[] Request { get; } = request;
        public short Version { get; } = header.ApiVersion;
        public string[] Topics { get; } = topics;
        public long Deadline { get; } = deadline;
        public long SentAtVersion { get; set; }
        public byte[]? EmptyAnswer { get; set; }
    }

    /// <summary>One client connection and its own connection to the broker.</summary>
    private sealed class Connection(LongPollRelay relay, Socket client, IPEndPoint broker)
    {
        private readonly Socket upstream = new(broker.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        private readonly SemaphoreSlim clientWrites = new(1, 1);
        private readonly SemaphoreSlim upstreamWrites = new(1, 1);
        // What each request in flight at the broker was, by correlation id: its answer is read accordingly.
        private readonly Dictionary<int, object> inFlight = [];
        private readonly Lock inFlightLock = new();

        private sealed record Produced(string[] Topics);
        private sealed record VersionsAsked(short Version);

        public async Task RunAsync(CancellationToken stopping)
        {
            try
            {
                client.NoDelay = upstream.NoDelay = true;
                await upstream.ConnectAsync(broker, stopping);
                await Task.WhenAny(RelayRequestsAsync(stopping), RelayAnswersAsync(stopping));
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException
                                                  or ObjectDisposedException or InvalidDataException)
            {
                // A client that went away, or a frame we cannot read: the connection ends, and its client reconnects.
            }
            finally
            {
                relay.Release(this);
                client.Dispose();
                upstream.Dispose();
            }
        }

        private async Task RelayRequestsAsync(CancellationToken stopping)
        {
            await using var reader = new BufferedStream(new NetworkStream(client, ownsSocket: false), 64 * 1024);
            while (await ReadFrameAsync(reader, stopping) is { } frame)
            {
                var header = KafkaWire.ReadRequestHeader(frame);
                object? kind = null;
                switch (header.ApiKey)
                {
                    case KafkaWire.Fetch when header.ApiVersion is >= 4 and <= KafkaWire.MaxFetchVersion:
                        var wait = KafkaWire.FetchMaxWait(frame, header);
                        if (wait > 0)
                        {
                            KafkaWire.SetFetchMaxWait(frame, header, 0);
                            var deadline = Stopwatch.GetTimestamp() + wait * Stopwatch.Frequency / 1000;
                            Forward(new Fetch(this, frame, header, KafkaWire.FetchTopics(frame, header), deadline));
                            continue;
                        }
                        break;
                    case KafkaWire.Produce when header.ApiVersion is >= 3 and <= KafkaWire.MaxProduceVersion:
                        kind = new Produced(KafkaWire.ProduceTopics(frame, header));
                        break;
                    case KafkaWire.ApiVersions:
                        kind = new VersionsAsked(header.ApiVersion);
                        break;
                }
                if (kind is not null)
                    lock (inFlightLock)
                        inFlight[header.CorrelationId] = kind;
                await WriteAsync(upstream, upstreamWrites, frame);
            }
        }

        private async Task RelayAnswersAsync(CancellationToken stopping)
        {
            await using var reader = new BufferedStream(new NetworkStream(upstream, ownsSocket: false), 64 * 1024);
            while (await ReadFrameAsync(reader, stopping) is { } frame)
            {
                object? kind;
                lock (inFlightLock)
                    inFlight.Remove(KafkaWire.ResponseCorrelationId(frame), out kind);
                switch (kind)
                {
                    case Fetch fetch when KafkaWire.IsEmptyFetchResponse(frame, fetch.Version)
                                          && Stopwatch.GetTimestamp() < fetch.Deadline:
                        if (!relay.TryHold(fetch, frame))
                            Forward(fetch); // records arrived while it was out: ask again now
                        continue;
                    case Produced produced:
                        await WriteAsync(client, clientWrites, frame);
                        relay.Produced(produced.Topics);
                        continue;
                    case VersionsAsked asked:
                        KafkaWire.CapApiVersions(frame, asked.Version);
                        break;
                }
                await WriteAsync(client, clientWrites, frame);
            }
        }

        /// <summary>Sends a fetch (again) to the broker, noting how many appends its topics had seen.</summary>
        public void Forward(Fetch fetch)
        {
            fetch.SentAtVersion = relay.VersionOf(fetch.Topics);
            lock (inFlightLock)
                inFlight[fetch.CorrelationId] = fetch;
            _ = SendOrCloseAsync(upstream, upstreamWrites, fetch.Request);
        }

        /// <summary>Sends a held fetch's empty answer once its wait is over.</summary>
        public void Answer(byte[] emptyAnswer) => _ = SendOrCloseAsync(client, clientWrites, emptyAnswer);

        private async Task SendOrCloseAsync(Socket socket, SemaphoreSlim writes, byte[] frame)
        {
            try
            {
                await WriteAsync(socket, writes, frame);
            }
            catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
            {
                client.Dispose(); // ends both loops
            }
        }

        private static async Task WriteAsync(Socket socket, SemaphoreSlim writes, byte[] frame)
        {
            await writes.WaitAsync();
            try
            {
                var sent = 0;
                while (sent < frame.Length)
                    sent += await socket.SendAsync(frame.AsMemory(sent), SocketFlags.None);
            }
            finally
            {
                writes.Release();
            }
        }

        /// <summary>One whole frame, its 4-byte size included; null at the end of the stream.</summary>
        private static async Task<byte[]?> ReadFrameAsync(Stream stream, CancellationToken stopping)
        {
            var size = new byte[4];
            if (await stream.ReadAtLeastAsync(size, 4, throwOnEndOfStream: false, stopping) < 4)
                return null;
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(size);
            if (length is < 0 or > 256 * 1024 * 1024)
                throw new InvalidDataException($"A Kafka frame of {length} bytes.");
            var frame = new byte[4 + length];
            size.CopyTo(frame, 0);
            await stream.ReadExactlyAsync(frame.AsMemory(4), stopping);
            return frame;
        }
    }
}
