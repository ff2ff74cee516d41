using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kinder.Messaging;
using Microsoft.Extensions.Options;

namespace Kinder.Workers.Push;

/// <summary>
/// Sends one push to one FCM registration token through FCM HTTP v1 (<c>POST /v1/projects/{id}/messages:send</c>).
/// FCM's answer decides: 200 sent; 404 <c>UNREGISTERED</c> or 400 <c>INVALID_ARGUMENT</c> about the token: a dead
/// token; 401: the cached access token is dropped and the send fails to be retried; another 400: the message itself is
/// wrong (dead-lettered at once); anything else (429, 5xx, 403) fails to be retried.
/// </summary>
public sealed class FcmSender(HttpClient http, FcmAccessTokens accessTokens, IOptions<PushOptions> options)
{
    public async Task<PushOutcome> SendAsync(PushMessage message, string token, CancellationToken cancellationToken)
    {
        var fcm = options.Value.Fcm;
        var accessToken = await accessTokens.GetAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"{fcm.BaseUrl.TrimEnd('/')}/v1/projects/{Uri.EscapeDataString(fcm.ProjectId!)}/messages:send")
        {
            Content = JsonContent.Create(Body(message, token)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
            return PushOutcome.Sent;

        var error = await FcmError.ReadAsync(response, cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound when error.Code == "UNREGISTERED":
            case HttpStatusCode.BadRequest when error.Status == "INVALID_ARGUMENT" && error.IsAboutToken:
                return PushOutcome.DeadToken;
            case HttpStatusCode.Unauthorized:
                accessTokens.Invalidate(accessToken);
                break;
            case HttpStatusCode.BadRequest:
                throw new RecordRejectedException($"FCM refused the message: {error}");
        }
        throw new PushServiceException($"FCM answered {(int)response.StatusCode}: {error}");
    }

    /// <summary>The v1 message: the notification for the tray, the data for the app, collapse and badge per platform.</summary>
    public static JsonObject Body(PushMessage message, string token)
    {
        var data = new JsonObject();
        foreach (var (key, value) in message.Data)
            data[key] = value;
        var androidNotification = new JsonObject { ["tag"] = message.CollapseId };
        var aps = new JsonObject();
        if (message.Badge is { } badge)
        {
            androidNotification["notification_count"] = badge;
            aps["badge"] = badge;
        }
        return new JsonObject
        {
            ["message"] = new JsonObject
            {
                ["token"] = token,
                ["notification"] = new JsonObject { ["title"] = message.Title, ["body"] = message.Body },
                ["data"] = data,
                ["android"] = new JsonObject { ["collapse_key"] = message.CollapseId, ["notification"] = androidNotification },
                // An FCM token of an iOS app is delivered through APNs: the same collapse id and badge there.
                ["apns"] = new JsonObject
                {
                    ["headers"] = new JsonObject { ["apns-collapse-id"] = message.CollapseId },
                    ["payload"] = new JsonObject { ["aps"] = aps },
                },
            },
        };
    }

    /// <summary>Google's error body: <c>{ error: { code, message, status, details: [{ errorCode } | { fieldViolations }] } }</c>.</summary>
    private sealed record FcmError(string? Status, string? Code, string? Message, IReadOnlyList<string> Fields)
    {
        public bool IsAboutToken => Fields.Contains("message.token")
            || (Message?.Contains("registration token", StringComparison.OrdinalIgnoreCase) ?? false);

        public static async Task<FcmError> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            try
            {
                var error = JsonNode.Parse(text)?["error"];
                var details = error?["details"]?.AsArray() ?? [];
                return new FcmError((string?)error?["status"],
                    details.Select(detail => (string?)detail?["errorCode"]).FirstOrDefault(code => code is not null),
                    (string?)error?["message"],
                    [.. details.SelectMany(detail => detail?["fieldViolations"]?.AsArray() ?? [])
                        .Select(violation => (string?)violation?["field"] ?? "")]);
            }
            catch (JsonException)
            {
                return new FcmError(null, null, text.Length > 200 ? text[..200] : text, []);
            }
        }

        public override string ToString() => $"{Status} {Code} {Message}".Trim();
    }
}
