using System.Net;
using System.Net.Http.Headers;
using Kinder.Core;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Api;

/// <summary>The Api on a real socket (Kestrel), as clients meet it: a connection reset shows only there.</summary>
public sealed class KestrelApiFactory : ApiFactory
{
    public KestrelApiFactory() => UseKestrel(0);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        StartServer();
    }
}

/// <summary>
/// A client that sends a JSON body over the limit (docs/api/README.md: 1 MiB) reads the 413 problem, also while it is
/// still sending — the server reads and discards up to 16 MiB first instead of closing the connection under it.
/// </summary>
public sealed class RequestBodyLimitTests(KestrelApiFactory api) : IClassFixture<KestrelApiFactory>
{
    private static byte[] JsonOf(int bytes)
    {
        var body = new byte[bytes];
        Array.Fill(body, (byte)'x');
        "{\"displayName\":\""u8.CopyTo(body);
        "\"}"u8.CopyTo(body.AsSpan(bytes - 2));
        return body;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(16)]
    public async Task A_body_of_some_mebibytes_with_its_length_reads_the_413_problem(int mebibytes)
    {
        using var client = api.CreateClientFor(await api.CreateUserAsync());
        var content = new ByteArrayContent(JsonOf(mebibytes * 1024 * 1024 - 64));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await client.PutAsync("/api/v1/users/profile", content);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_reads_the_413_problem()
    {
        using var client = api.CreateClientFor(await api.CreateUserAsync());
        var content = new ChunkedContent(JsonOf(6 * 1024 * 1024));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await client.PutAsync("/api/v1/users/profile", content);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
    }

    /// <summary>A body whose length HttpClient cannot know, so it sends it chunked, 64 KiB at a time.</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < bytes.Length; offset += 64 * 1024)
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(64 * 1024, bytes.Length - offset)));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
