using System.Buffers.Binary;
using System.Text;

namespace Kinder.KafkaMock;

/// <summary>
/// The few parts of the Kafka protocol <see cref="LongPollRelay"/> reads or rewrites: request headers, the topics of
/// Fetch (v4–v11) and Produce (v3–v8) requests, whether a Fetch response carries anything, and the version ranges of
/// an ApiVersions response. Frames here are whole: the 4-byte size, then the message. Big-endian, as the protocol.
/// </summary>
internal static class KafkaWire
{
    public const short Produce = 0;
    public const short Fetch = 1;
    public const short ApiVersions = 18;

    /// <summary>The newest versions the relay parses: the last ones before the flexible (compact) encodings.</summary>
    public const short MaxProduceVersion = 8;
    public const short MaxFetchVersion = 11;

    public readonly record struct RequestHeader(short ApiKey, short ApiVersion, int CorrelationId, int BodyOffset);

    /// <summary>Request header v1 (key, version, correlation id, client id); what follows it is only read for
    /// Fetch and Produce, whose versions here are never flexible (no tagged fields after the client id).</summary>
    public static RequestHeader ReadRequestHeader(ReadOnlySpan<byte> frame)
    {
        var apiKey = BinaryPrimitives.ReadInt16BigEndian(frame[4..]);
        var apiVersion = BinaryPrimitives.ReadInt16BigEndian(frame[6..]);
        var correlationId = BinaryPrimitives.ReadInt32BigEndian(frame[8..]);
        var clientIdLength = BinaryPrimitives.ReadInt16BigEndian(frame[12..]);
        return new RequestHeader(apiKey, apiVersion, correlationId, 14 + Math.Max((short)0, clientIdLength));
    }

    public static int ResponseCorrelationId(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt32BigEndian(frame[4..]);

    /// <summary>A Fetch request's max_wait_ms (v4–v11: after replica_id).</summary>
    public static int FetchMaxWait(ReadOnlySpan<byte> frame, RequestHeader header) =>
        BinaryPrimitives.ReadInt32BigEndian(frame[(header.BodyOffset + 4)..]);

    public static void SetFetchMaxWait(Span<byte> frame, RequestHeader header, int milliseconds) =>
        BinaryPrimitives.WriteInt32BigEndian(frame[(header.BodyOffset + 4)..], milliseconds);

    /// <summary>The topics a Fetch request (v4–v11) reads.</summary>
    public static string[] FetchTopics(ReadOnlySpan<byte> frame, RequestHeader header)
    {
        var reader = new Reader(frame, header.BodyOffset);
        reader.Skip(4 + 4 + 4 + 4 + 1); // replica_id, max_wait_ms, min_bytes, max_bytes, isolation_level
        if (header.ApiVersion >= 7)
            reader.Skip(4 + 4); // session_id, session_epoch
        var partitionSize = 4 + (header.ApiVersion >= 9 ? 4 : 0) + 8 + (header.ApiVersion >= 5 ? 8 : 0) + 4;
        var topics = new string[Math.Max(0, reader.Int32())];
        for (var i = 0; i < topics.Length; i++)
        {
            topics[i] = reader.String();
            reader.Skip(Math.Max(0, reader.Int32()) * partitionSize);
        }
        return topics;
    }

    /// <summary>The topics a Produce request (v3–v8) writes to.</summary>
    public static string[] ProduceTopics(ReadOnlySpan<byte> frame, RequestHeader header)
    {
        var reader = new Reader(frame, header.BodyOffset);
        reader.SkipString(); // transactional_id (nullable)
        reader.Skip(2 + 4); // acks, timeout_ms
        var topics = new string[Math.Max(0, reader.Int32())];
        for (var i = 0; i < topics.Length; i++)
        {
            topics[i] = reader.String();
            var partitions = reader.Int32();
            for (var p = 0; p < partitions; p++)
            {
                reader.Skip(4); // index
                reader.Skip(Math.Max(0, reader.Int32())); // records
            }
        }
        return topics;
    }

    /// <summary>
    /// Whether a Fetch response (v4–v11) has nothing for its consumer: no error and no records in any partition —
    /// the answer a broker holds back until data arrives or the wait is over.
    /// </summary>
    public static bool IsEmptyFetchResponse(ReadOnlySpan<byte> frame, short version)
    {
        var reader = new Reader(frame, 8); // size, correlation id
        reader.Skip(4); // throttle_time_ms
        if (version >= 7)
        {
            if (reader.Int16() != 0) return false;
            reader.Skip(4); // session_id
        }
        var topics = reader.Int32();
        for (var t = 0; t < topics; t++)
        {
            reader.SkipString();
            var partitions = reader.Int32();
            for (var p = 0; p < partitions; p++)
            {
                reader.Skip(4); // partition_index
                if (reader.Int16() != 0) return false;
                reader.Skip(8 + 8 + (version >= 5 ? 8 : 0)); // high_watermark, last_stable_offset, log_start_offset
                reader.Skip(Math.Max(0, reader.Int32()) * 16); // aborted_transactions (null: -1)
                if (version >= 11) reader.Skip(4); // preferred_read_replica
                var records = reader.Int32();
                if (records > 0) return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Lowers the newest Fetch and Produce versions an ApiVersions response (v0–v3) offers to the ones the relay
    /// parses, in place; an error response is left alone.
    /// </summary>
    public static void CapApiVersions(Span<byte> frame, short version)
    {
        var reader = new Reader(frame, 8);
        if (reader.Int16() != 0) return; // error_code: the body may be in another version's layout
        var count = version >= 3 ? (int)reader.UnsignedVarint() - 1 : reader.Int32();
        for (var i = 0; i < count; i++)
        {
            var entry = reader.Position;
            var key = BinaryPrimitives.ReadInt16BigEndian(frame[entry..]);
            var max = BinaryPrimitives.ReadInt16BigEndian(frame[(entry + 4)..]);
            var cap = key switch { Fetch => MaxFetchVersion, Produce => MaxProduceVersion, _ => short.MaxValue };
            if (max > cap)
                BinaryPrimitives.WriteInt16BigEndian(frame[(entry + 4)..], cap);
            reader.Skip(6);
            if (version >= 3) reader.SkipTaggedFields();
        }
    }

    /// <summary>A forward-only reader over a frame; reads past its end throw (a frame the relay cannot parse).</summary>
    private ref struct Reader(ReadOnlySpan<byte> frame, int position)
    {
        private readonly ReadOnlySpan<byte> frame = frame;

        public int Position { get; private set; } = position;

        public void Skip(int bytes)
        {
            if (bytes < 0 || Position + bytes > frame.Length)
                throw new InvalidDataException("The Kafka message ends early.");
            Position += bytes;
        }

        public short Int16()
        {
            var value = BinaryPrimitives.ReadInt16BigEndian(frame[Position..]);
            Position += 2;
            return value;
        }

        public int Int32()
        {
            var value = BinaryPrimitives.ReadInt32BigEndian(frame[Position..]);
            Position += 4;
            return value;
        }

        public string String()
        {
            var length = Int16();
            if (length < 0) return "";
            var value = Encoding.UTF8.GetString(frame.Slice(Position, length));
            Position += length;
            return value;
        }

        public void SkipString() => Skip(Math.Max((short)0, Int16()));

        public uint UnsignedVarint()
        {
            uint value = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var b = frame[Position++];
                value |= (uint)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return value;
            }
            throw new InvalidDataException("A varint longer than 5 bytes.");
        }

        public void SkipTaggedFields()
        {
            var fields = UnsignedVarint();
            for (var i = 0; i < fields; i++)
            {
                UnsignedVarint(); // tag
                Skip((int)UnsignedVarint());
            }
        }
    }
}
