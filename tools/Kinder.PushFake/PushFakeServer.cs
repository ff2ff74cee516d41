using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Kinder.PushFake;

/// <summary>
/// A local stand-in for FCM HTTP v1 (and Google's OAuth2 token endpoint) and for APNs over HTTP/2, checking requests
/// as the services do and recording each accepted push (<see cref="PushRecords"/>). Run by the AppHost in local mode
/// (Program.cs) and in process by the tests (<see cref="StartAsync"/>).
/// </summary>
public sealed class PushFakeServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private PushFakeServer(WebApplication app, PushFakeOptions options, PushRecords records, DeadTokens deadTokens,
        FakeFcm fcm, FakeApns apns)
    {
        this.app = app;
        Options = options;
        Records = records;
        DeadTokens = deadTokens;
        Fcm = fcm;
        Apns = apns;
    }

    public PushFakeOptions Options { get; }
    public PushRecords Records { get; }
    public DeadTokens DeadTokens { get; }
    public FakeFcm Fcm { get; }
    public FakeApns Apns { get; }

    /// <summary>FCM's base URL (<c>Push:Fcm:BaseUrl</c>) and the pushes page, e.g. <c>http://127.0.0.1:5091</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Google's token endpoint here (<c>Push:Fcm:TokenUri</c>), which the assertion's audience must name.</summary>
    public string TokenUri => string.IsNullOrEmpty(Options.TokenUri) ? $"{Url}/token" : Options.TokenUri;

    /// <summary>APNs's base URL (<c>Push:Apns:BaseUrl</c>): HTTP/2 without TLS.</summary>
    public string ApnsUrl { get; private set; } = "";

    public static async Task<PushFakeServer> StartAsync(PushFakeOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        // A port of 0 is Kestrel's to pick (the tests' way); the listen options then hold the port it bound.
        ListenOptions? fcmListener = null, apnsListener = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port, listen => (fcmListener = listen).Protocols = HttpProtocols.Http1);
            // Prior knowledge: without TLS there is no ALPN, so this port speaks HTTP/2 from the first byte.
            kestrel.Listen(IPAddress.Loopback, options.ApnsPort, listen => (apnsListener = listen).Protocols = HttpProtocols.Http2);
        });
        configure?.Invoke(builder);
        var app = builder.Build();
        var records = new PushRecords(options.Folder);
        var deadTokens = new DeadTokens();
        var server = new PushFakeServer(app, options, records, deadTokens, new FakeFcm(options, records, deadTokens),
            new FakeApns(options, records, deadTokens));
        server.Map();
        await app.StartAsync();
        server.Url = $"http://127.0.0.1:{fcmListener!.IPEndPoint!.Port}";
        server.ApnsUrl = $"http://127.0.0.1:{apnsListener!.IPEndPoint!.Port}";
        server.Fcm.TokenUri = server.TokenUri;
        return server;
    }

    private void Map()
    {
        Fcm.Map(app);
        Apns.Map(app);
        app.MapGet("/pushes", (string? token) => Results.Json(
            Records.All.Where(record => token is null || record.Token == token).Reverse()));
        app.MapPost("/dead-tokens", async (HttpRequest request) =>
        {
            var token = (string?)(await JsonNode.ParseAsync(request.Body))?["token"];
            if (string.IsNullOrEmpty(token))
                return Results.BadRequest(new { error = "{ \"token\": \"…\" } is required" });
            DeadTokens.Mark(token);
            return Results.NoContent();
        });
        app.MapGet("/dead-tokens", () => Results.Json(DeadTokens.Marked));
        app.MapGet("/", () => Results.Text(
            $"Kinder's push fake. FCM HTTP v1 here (token endpoint {TokenUri}, project {Options.ProjectId}); " +
            $"APNs over HTTP/2 (h2c) at {ApnsUrl}, topic {Options.ApnsBundleId}.\n" +
            $"Accepted pushes: GET /pushes (?token=…){(string.IsNullOrEmpty(Options.Folder) ? "" : $", and one JSON file each in {Path.GetFullPath(Options.Folder)}")}.\n" +
            $"Dead tokens (FCM UNREGISTERED, APNs 410): any starting with {PushFakeOptions.DeadTokenPrefix}, or POST /dead-tokens {{\"token\":\"…\"}}.\n"));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Fcm.Dispose();
        Apns.Dispose();
    }
}
