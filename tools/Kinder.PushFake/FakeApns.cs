using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kinder.PushFake;

/// <summary>
/// Apple's side of APNs: <c>POST /3/device/{token}</c> over HTTP/2 with a provider token (ES256 JWT), checked and
/// answered as APNs does (<c>{ "reason": … }</c> with APNs's status codes).
/// </summary>
public sealed class FakeApns(PushFakeOptions options, PushRecords records, DeadTokens deadTokens) : IDisposable
{
    public const int MaxPayloadBytes = 4096;
    private static readonly string[] PushTypes = ["alert", "background", "voip", "complication", "fileprovider", "mdm", "liveactivity"];
    private readonly ECDsa? publicKey = ImportKey(options.ApnsPublicKey);

    public void Map(IEndpointRouteBuilder app) => app.MapPost("/3/device/{token}", SendAsync);

    private async Task<IResult> SendAsync(string token, HttpRequest request)
    {
        if (request.Protocol != "HTTP/2")
            return Results.Text("APNs speaks HTTP/2 only: use the APNs port with prior knowledge (h2c).", statusCode: 505);
        var apnsId = request.Headers["apns-id"].ToString();
        if (apnsId.Length > 0 && !Guid.TryParseExact(apnsId, "D", out _))
            return Reason(400, "BadMessageId", apnsId);
        apnsId = apnsId.Length > 0 ? apnsId : Guid.NewGuid().ToString().ToUpperInvariant();

        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase))
            return Reason(403, "MissingProviderToken", apnsId);
        if (publicKey is null || FakeJwts.Verify(authorization["bearer ".Length..], "ES256", publicKey) is not var (header, claims)
            || (!string.IsNullOrEmpty(options.ApnsKeyId) && (string?)header["kid"] != options.ApnsKeyId)
            || (!string.IsNullOrEmpty(options.ApnsTeamId) && (string?)claims["iss"] != options.ApnsTeamId)
            || FakeJwts.Seconds(claims, "iat") is not { } issuedAt)
        {
            return Reason(403, "InvalidProviderToken", apnsId);
        }
        if (DateTimeOffset.FromUnixTimeSeconds(issuedAt) < DateTimeOffset.UtcNow.AddHours(-1))
            return Reason(403, "ExpiredProviderToken", apnsId);

        var topic = request.Headers["apns-topic"].ToString();
        if (topic.Length == 0)
            return Reason(400, "MissingTopic", apnsId);
        if (topic != options.ApnsBundleId)
            return Reason(400, "TopicDisallowed", apnsId);
        var pushType = request.Headers["apns-push-type"].ToString();
        if (!PushTypes.Contains(pushType))
            return Reason(400, "InvalidPushType", apnsId);
        if (Encoding.UTF8.GetByteCount(request.Headers["apns-collapse-id"].ToString()) > 64)
            return Reason(400, "BadCollapseId", apnsId);
        if (token.Length != 64 || !token.All(char.IsAsciiHexDigit))
            return Reason(400, "BadDeviceToken", apnsId);

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        if (body.Length == 0)
            return Reason(400, "PayloadEmpty", apnsId);
        if (body.Length > MaxPayloadBytes)
            return Reason(413, "PayloadTooLarge", apnsId);
        JsonObject? payload;
        try
        {
            payload = JsonNode.Parse(body.ToArray()) as JsonObject;
        }
        catch (JsonException)
        {
            payload = null;
        }
        if (payload?["aps"] is not JsonObject aps || (pushType == "alert" && aps["alert"] is null))
            return Reason(400, "PayloadEmpty", apnsId); // APNs has no finer reason for a payload without an alert
        if (deadTokens.IsDead(token))
        {
            return Results.Json(new JsonObject { ["reason"] = "Unregistered", ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                statusCode: 410);
        }

        var headers = new[] { "apns-topic", "apns-push-type", "apns-collapse-id", "apns-priority", "apns-expiration" }
            .Where(name => request.Headers.ContainsKey(name))
            .ToDictionary(name => name, name => request.Headers[name].ToString());
        headers["apns-id"] = apnsId;
        records.Add("apns", token, headers, payload);
        request.HttpContext.Response.Headers["apns-id"] = apnsId;
        return Results.Ok();
    }

    private static IResult Reason(int status, string reason, string apnsId) =>
        new ReasonResult(status, reason, apnsId);

    private static ECDsa? ImportKey(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
            return null;
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        return ecdsa;
    }

    public void Dispose() => publicKey?.Dispose();

    /// <summary>APNs's error: the status, <c>apns-id</c> and <c>{ "reason": … }</c>.</summary>
    private sealed class ReasonResult(int status, string reason, string apnsId) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers["apns-id"] = apnsId;
            return Results.Json(new JsonObject { ["reason"] = reason }, statusCode: status).ExecuteAsync(context);
        }
    }
}
