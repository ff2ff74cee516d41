using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kinder.PushFake;

/// <summary>
/// Google's side of FCM HTTP v1: the OAuth2 token endpoint taking a service account's JWT-bearer assertion, and
/// <c>messages:send</c> taking the access tokens it issued. Errors are Google's shape and codes.
/// </summary>
public sealed class FakeFcm(PushFakeOptions options, PushRecords records, DeadTokens deadTokens) : IDisposable
{
    public const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    public const string Scope = "https://www.googleapis.com/auth/firebase.messaging";

    private readonly ConcurrentDictionary<string, DateTimeOffset> accessTokens = new();
    private readonly RSA? publicKey = ImportKey(options.FcmPublicKey);
    private int tokenRequests;

    /// <summary>The address the assertion's <c>aud</c> must name (the token URI Workers are given).</summary>
    public string TokenUri { get; set; } = "";

    /// <summary>Access tokens issued so far (a test checks they are reused until they expire).</summary>
    public int TokensIssued => Volatile.Read(ref tokenRequests);

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/token", IssueTokenAsync);
        app.MapPost("/v1/projects/{projectId}/{method}", SendAsync);
    }

    private async Task<IResult> IssueTokenAsync(HttpRequest request)
    {
        if (!request.HasFormContentType)
            return OAuthError("invalid_request", "Content-Type must be application/x-www-form-urlencoded.");
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != JwtBearerGrant)
            return OAuthError("unsupported_grant_type", "Invalid grant_type: " + form["grant_type"]);
        if (publicKey is null || FakeJwts.Verify(form["assertion"].ToString(), "RS256", publicKey) is not var (_, claims))
            return OAuthError("invalid_grant", "Invalid JWT Signature.");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var problem = ((string?)claims["aud"] != TokenUri, FakeJwts.Seconds(claims, "iat"), FakeJwts.Seconds(claims, "exp")) switch
        {
            (true, _, _) => $"Invalid JWT: audience must be {TokenUri}.",
            (_, null, _) or (_, _, null) => "Invalid JWT: iat and exp are required.",
            (_, var iat, var exp) when exp <= now || iat > now + 60 || exp - iat > 3600 =>
                "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.",
            _ when !string.IsNullOrEmpty(options.FcmClientEmail) && (string?)claims["iss"] != options.FcmClientEmail =>
                "Invalid JWT: unknown issuer.",
            _ when !((string?)claims["scope"] ?? "").Split(' ').Contains(Scope) => "Invalid JWT: the scope must include " + Scope,
            _ => null,
        };
        if (problem is not null)
            return OAuthError("invalid_grant", problem);
        Interlocked.Increment(ref tokenRequests);
        var token = $"ya29.fake-{Guid.NewGuid():N}";
        accessTokens[token] = DateTimeOffset.UtcNow.AddSeconds(options.AccessTokenLifetimeSeconds);
        return Results.Json(new JsonObject
        {
            ["access_token"] = token, ["expires_in"] = options.AccessTokenLifetimeSeconds, ["token_type"] = "Bearer",
        });
    }

    private async Task<IResult> SendAsync(string projectId, string method, HttpRequest request)
    {
        if (method != "messages:send")
            return Error(404, "NOT_FOUND", "Method not found.");
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            || !accessTokens.TryGetValue(authorization["Bearer ".Length..], out var expires) || expires <= DateTimeOffset.UtcNow)
        {
            return Error(401, "UNAUTHENTICATED",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.");
        }
        if (projectId != options.ProjectId)
            return Error(403, "PERMISSION_DENIED", $"Permission 'cloudmessaging.messages.create' denied on resource '//cloudresourcemanager.googleapis.com/projects/{projectId}'.");

        JsonObject? message;
        try
        {
            message = (await JsonNode.ParseAsync(request.Body))?["message"] as JsonObject;
        }
        catch (JsonException exception)
        {
            return Error(400, "INVALID_ARGUMENT", $"Invalid JSON payload received. {exception.Message}");
        }
        if (message is null)
            return Invalid("message", "Invalid JSON payload received. 'message' is required.");
        if ((string?)(message["token"] as JsonValue) is not { Length: > 0 } token)
            return Invalid("message.token", "Invalid value at 'message.token': a registration token is required.");
        if (Shape(message) is { } shapeProblem)
            return Invalid(shapeProblem.Field, shapeProblem.Message);
        if (!IsToken(token))
            return Error(400, "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token", "INVALID_ARGUMENT");
        if (deadTokens.IsDead(token))
            return Error(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED");

        var record = records.Add("fcm", token, new Dictionary<string, string>(), message.DeepClone());
        return Results.Json(new JsonObject { ["name"] = $"projects/{projectId}/messages/{record.Id}" });
    }

    /// <summary>What FCM refuses about a message's fields: title, body and every data value are strings.</summary>
    private static (string Field, string Message)? Shape(JsonObject message)
    {
        if (message["notification"] is JsonObject notification)
        {
            foreach (var field in new[] { "title", "body" })
            {
                if (notification[field] is { } value && value.GetValueKind() != JsonValueKind.String)
                    return ($"message.notification.{field}", $"Invalid value at 'message.notification.{field}': a string.");
            }
        }
        else if (message["notification"] is not null)
        {
            return ("message.notification", "Invalid value at 'message.notification': an object.");
        }
        if (message["data"] is JsonObject data)
        {
            var index = 0;
            foreach (var (key, value) in data)
            {
                if (value is null || value.GetValueKind() != JsonValueKind.String)
                    return ($"message.data[{index}].value", $"Invalid value at 'message.data[{index}].value' ({key}): a string.");
                index++;
            }
        }
        if (message["android"]?["collapse_key"] is { } collapse && collapse.GetValueKind() != JsonValueKind.String)
            return ("message.android.collapse_key", "Invalid value at 'message.android.collapse_key': a string.");
        return null;
    }

    private static bool IsToken(string token) =>
        token.Length is >= 16 and <= 4096 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '_' or '-' or '.');

    private static IResult Invalid(string field, string message) => Results.Json(new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["code"] = 400, ["message"] = message, ["status"] = "INVALID_ARGUMENT",
            ["details"] = new JsonArray(new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.rpc.BadRequest",
                ["fieldViolations"] = new JsonArray(new JsonObject { ["field"] = field, ["description"] = message }),
            }),
        },
    }, statusCode: 400);

    private static IResult Error(int code, string status, string message, string? fcmErrorCode = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message, ["status"] = status };
        if (fcmErrorCode is not null)
        {
            error["details"] = new JsonArray(new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.firebase.fcm.v1.FcmError", ["errorCode"] = fcmErrorCode,
            });
        }
        return Results.Json(new JsonObject { ["error"] = error }, statusCode: code);
    }

    private static IResult OAuthError(string error, string description) =>
        Results.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, statusCode: 400);

    private static RSA? ImportKey(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
            return null;
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa;
    }

    public void Dispose() => publicKey?.Dispose();
}

/// <summary>Tokens the fake answers as dead: <see cref="PushFakeOptions.DeadTokenPrefix"/>, or marked through <c>POST /dead-tokens</c>.</summary>
public sealed class DeadTokens
{
    private readonly ConcurrentDictionary<string, bool> marked = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Marked => [.. marked.Keys];

    public void Mark(string token) => marked[token] = true;

    public bool IsDead(string token) =>
        token.StartsWith(PushFakeOptions.DeadTokenPrefix, StringComparison.OrdinalIgnoreCase) || marked.ContainsKey(token);
}
