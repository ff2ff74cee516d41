using System.Collections.Concurrent;
using System.Net;
using Kinder.Core;

namespace Kinder.Tests.AppHost;

/// <summary>One span as the services exported it: which service, which trace, which operation.</summary>
public sealed record ExportedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name);

/// <summary>One log record as the services exported it: which service, which trace (empty outside one), what it says.</summary>
public sealed record ExportedLogRecord(string Service, string TraceId, string Body);

/// <summary>
/// What the Aspire dashboard is to a developer, for a test: an OTLP/HTTP (protobuf) endpoint the AppHost points every
/// service at (<c>ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL</c>), keeping the spans and log records it receives.
/// Metrics are accepted and dropped.
/// </summary>
public sealed class OtlpTraceReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ExportedSpan> _spans = new();
    private readonly ConcurrentQueue<ExportedLogRecord> _logs = new();

    private OtlpTraceReceiver(int port)
    {
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _ = ReceiveAsync();
    }

    public string Url { get; }

    public IReadOnlyCollection<ExportedSpan> Spans => _spans;

    public IReadOnlyCollection<ExportedLogRecord> Logs => _logs;

    public static OtlpTraceReceiver Start()
    {
        return new OtlpTraceReceiver(LocalPorts.Reserve());
    }

    private async Task ReceiveAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            if (context.Request.Url?.AbsolutePath == "/v1/traces")
            {
                foreach (var span in OtlpTraceDecoder.Decode(body.ToArray()))
                    _spans.Enqueue(span);
            }
            else if (context.Request.Url?.AbsolutePath == "/v1/logs")
            {
                foreach (var log in OtlpTraceDecoder.DecodeLogs(body.ToArray()))
                    _logs.Enqueue(log);
            }
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}

/// <summary>
/// Reads the few fields a test needs from an OTLP <c>ExportTraceServiceRequest</c> (opentelemetry-proto, trace/v1):
/// resource_spans(1) → resource(1).attributes(1) for <c>service.name</c>, scope_spans(2) → spans(2) → trace_id(1),
/// span_id(2), parent_span_id(4), name(5); and from an <c>ExportLogsServiceRequest</c> (logs/v1): resource_logs(1) →
/// resource(1), scope_logs(2) → log_records(2) → body(5).string_value(1), trace_id(9). Every other field is skipped
/// by its wire type.
/// </summary>
internal static class OtlpTraceDecoder
{
    public static IEnumerable<ExportedSpan> Decode(byte[] request)
    {
        var spans = new List<ExportedSpan>();
        foreach (var resourceSpans in Fields(request).Where(field => field.Number == 1))
        {
            var content = Fields(resourceSpans.Bytes).ToList();
            var service = ServiceName(content);
            foreach (var scopeSpans in content.Where(field => field.Number == 2))
            foreach (var span in Fields(scopeSpans.Bytes).Where(field => field.Number == 2))
            {
                var parts = Fields(span.Bytes).ToList();
                spans.Add(new ExportedSpan(service,
                    Hex(parts.FirstOrDefault(part => part.Number == 1)),
                    Hex(parts.FirstOrDefault(part => part.Number == 2)),
                    Hex(parts.FirstOrDefault(part => part.Number == 4)),
                    Text(parts.FirstOrDefault(part => part.Number == 5))));
            }
        }
        return spans;
    }

    public static IEnumerable<ExportedLogRecord> DecodeLogs(byte[] request)
    {
        var logs = new List<ExportedLogRecord>();
        foreach (var resourceLogs in Fields(request).Where(field => field.Number == 1))
        {
            var content = Fields(resourceLogs.Bytes).ToList();
            var service = ServiceName(content);
            foreach (var scopeLogs in content.Where(field => field.Number == 2))
            foreach (var record in Fields(scopeLogs.Bytes).Where(field => field.Number == 2))
            {
                var parts = Fields(record.Bytes).ToList();
                var body = Fields(parts.FirstOrDefault(part => part.Number == 5).Bytes).FirstOrDefault(part => part.Number == 1);
                logs.Add(new ExportedLogRecord(service, Hex(parts.FirstOrDefault(part => part.Number == 9)), Text(body)));
            }
        }
        return logs;
    }

    /// <summary><c>service.name</c> among the attributes of a resource_spans' or resource_logs' resource(1).</summary>
    private static string ServiceName(IEnumerable<Field> content)
    {
        foreach (var resource in content.Where(field => field.Number == 1))
        foreach (var attribute in Fields(resource.Bytes).Where(field => field.Number == 1))
        {
            var parts = Fields(attribute.Bytes).ToList();
            if (Text(parts.FirstOrDefault(part => part.Number == 1)) == "service.name")
                return Text(Fields(parts.FirstOrDefault(part => part.Number == 2).Bytes).FirstOrDefault(part => part.Number == 1));
        }
        return "";
    }

    /// <summary>A field; <see cref="Bytes"/> is empty for one that is not length-delimited (or absent: number 0).</summary>
    private readonly record struct Field(int Number, byte[]? Raw)
    {
        public byte[] Bytes => Raw ?? [];
    }

    /// <summary>The fields of one message; only length-delimited ones carry bytes.</summary>
    private static IEnumerable<Field> Fields(byte[] message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var tag = Varint(message, ref position);
            var number = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    Varint(message, ref position);
                    yield return new Field(number, null);
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)Varint(message, ref position);
                    yield return new Field(number, message[position..(position + length)]);
                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported wire type {tag & 7}.");
            }
        }
    }

    private static ulong Varint(byte[] message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var current = message[position++];
            value |= (ulong)(current & 0x7F) << shift;
            if ((current & 0x80) == 0)
                return value;
        }
    }

    private static string Text(Field field) => System.Text.Encoding.UTF8.GetString(field.Bytes);

    private static string Hex(Field field) => Convert.ToHexString(field.Bytes).ToLowerInvariant();
}
