using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Kinder.Tests.AppHost;

/// <summary>One span as the services exported it: which service, which trace, which operation.</summary>
public sealed record ExportedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name);

/// <summary>
/// What the Aspire dashboard is to a developer, for a test: an OTLP/HTTP (protobuf) endpoint the AppHost points every
/// service at (<c>ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL</c>), keeping the spans it receives. Logs and metrics are
/// accepted and dropped.
/// </summary>
public sealed class OtlpTraceReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ExportedSpan> _spans = new();

    private OtlpTraceReceiver(int port)
    {
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _ = ReceiveAsync();
    }

    public string Url { get; }

    public IReadOnlyCollection<ExportedSpan> Spans => _spans;

    public static OtlpTraceReceiver Start()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new OtlpTraceReceiver(port);
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
/// span_id(2), parent_span_id(4), name(5). Every other field is skipped by its wire type.
/// </summary>
internal static class OtlpTraceDecoder
{
    public static IEnumerable<ExportedSpan> Decode(byte[] request)
    {
        var spans = new List<ExportedSpan>();
        foreach (var resourceSpans in Fields(request).Where(field => field.Number == 1))
        {
            var service = "";
            var content = Fields(resourceSpans.Bytes).ToList();
            foreach (var resource in content.Where(field => field.Number == 1))
            foreach (var attribute in Fields(resource.Bytes).Where(field => field.Number == 1))
            {
                var parts = Fields(attribute.Bytes).ToList();
                var key = Text(parts.FirstOrDefault(part => part.Number == 1));
                var value = parts.FirstOrDefault(part => part.Number == 2);
                if (key == "service.name")
                    service = Text(Fields(value.Bytes).FirstOrDefault(part => part.Number == 1));
            }
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
