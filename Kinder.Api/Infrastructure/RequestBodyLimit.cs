using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Infrastructure;

public sealed class RequestBodyOptions
{
    public const string SectionName = "Api:RequestBody";

    /// <summary>The largest JSON body accepted (1 MiB, docs/api/README.md). Upload endpoints raise their own limit.</summary>
    public long MaxBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How much of a too-large body is still read (and thrown away) before the 413 answer, so that a client busy sending
    /// it reads the answer rather than a connection reset. Beyond this the connection is closed.
    /// </summary>
    public long MaxDrainBytes { get; set; } = 16 * 1024 * 1024;
}

public static class RequestBodyLimit
{
    /// <summary>
    /// Refuses a body over the limit with 413 before a handler reads it: at once from <c>Content-Length</c>, and for
    /// chunked bodies as the read passes the limit. Either way the rest of the body, up to
    /// <see cref="RequestBodyOptions.MaxDrainBytes"/>, is read and discarded first: a server that answers while the
    /// client still sends, and then closes, resets the connection under the client, which never sees the answer.
    /// Runs after routing.
    /// </summary>
    public static WebApplication UseRequestBodyLimit(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<RequestBodyOptions>>().Value;
        app.Use(async (context, next) =>
        {
            // Endpoints that declare their own limit (uploads) got it from routing already; leave them be.
            if (context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is not null)
            {
                await next(context);
                return;
            }
            // The server's own limit is the drain bound; the body limit proper is counted here.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = Math.Max(options.MaxDrainBytes, options.MaxBytes);
            }
            if (context.Request.ContentLength > options.MaxBytes)
            {
                await DrainAsync(context, options);
                throw TooLarge(options.MaxBytes);
            }
            // A chunked body: the read that passes the limit fails with 413 (the framework answers it).
            var body = context.Request.Body;
            var limited = new LimitedStream(body, options.MaxBytes);
            context.Request.Body = limited;
            try
            {
                await next(context);
            }
            finally
            {
                context.Request.Body = body;
                if (limited.Exceeded)
                {
                    await DrainAsync(context, options);
                }
            }
        });
        return app;
    }

    /// <summary>Reads and discards the rest of the body up to the drain bound; past it, the connection closes after the answer.</summary>
    private static async Task DrainAsync(HttpContext context, RequestBodyOptions options)
    {
        var drained = context.Request.ContentLength <= options.MaxDrainBytes || context.Request.ContentLength is null;
        if (drained)
        {
            try
            {
                await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException)
            {
                // Past the drain bound (the server's own 413), or the client gave up.
                drained = false;
            }
        }
        if (!drained && !context.Response.HasStarted)
        {
            context.Response.Headers.Connection = "close";
        }
    }

    private static BadHttpRequestException TooLarge(long limit) =>
        new($"The request body is larger than {limit} bytes.", StatusCodes.Status413PayloadTooLarge);

    /// <summary>A request body that fails the read passing <c>limit</c> bytes with the server's own 413 exception.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        /// <summary>A read passed the limit.</summary>
        public bool Exceeded => _read > limit;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            return Exceeded ? throw TooLarge(limit) : read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
