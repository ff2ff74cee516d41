using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kinder.Messaging;
using Microsoft.Extensions.Options;

namespace Kinder.Workers.Push;

/// <summary>
/// Sends one push to one APNs device token over HTTP/2 (<c>POST /3/device/{token}</c>, token-based auth). APNs's
/// answer decides: 200 sent; 410, or 400 <c>BadDeviceToken</c> / <c>Unregistered</c>: a dead token; 403
/// <c>ExpiredProviderToken</c>: the provider token is renewed and the send fails to be retried; another 400: the
/// request itself is wrong (dead-lettered at once); anything else (429, 5xx, 403) fails to be retried.
/// </summary>
public sealed class ApnsSender(HttpClient http, ApnsProviderTokens providerTokens, IOptions<PushOptions> options)
{
    public async Task<PushOutcome> SendAsync(PushMessage message, string token, Guid apnsId, CancellationToken cancellationToken)
    {
        var apns = options.Value.Apns;
        var providerToken = providerTokens.Get();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{apns.BaseUrl.TrimEnd('/')}/3/device/{token}")
        {
            // APNs speaks HTTP/2 only; over http:// (the local fake) that is h2c with prior knowledge.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = JsonContent.Create(Payload(message)),
        };
        request.Headers.TryAddWithoutValidation("authorization", $"bearer {providerToken}");
        request.Headers.Add("apns-topic", apns.BundleId);
        request.Headers.Add("apns-push-type", "alert");
        request.Headers.Add("apns-priority", "10");
        request.Headers.Add("apns-collapse-id", message.CollapseId);
        request.Headers.Add("apns-id", apnsId.ToString());
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
            return PushOutcome.Sent;

        var reason = await ReasonAsync(response, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Gone || reason is "BadDeviceToken" or "Unregistered")
            return PushOutcome.DeadToken;
        if (reason is "ExpiredProviderToken" or "InvalidProviderToken")
            providerTokens.Invalidate(providerToken);
        else if (response.StatusCode == HttpStatusCode.BadRequest)
            throw new RecordRejectedException($"APNs refused the notification: {reason}");
        throw new PushServiceException($"APNs answered {(int)response.StatusCode} {reason}");
    }

    /// <summary>The alert with badge and sound under <c>aps</c>, the deep-link data beside it.</summary>
    public static JsonObject Payload(PushMessage message)
    {
        var aps = new JsonObject
        {
            ["alert"] = new JsonObject { ["title"] = message.Title, ["body"] = message.Body },
            ["sound"] = "default",
        };
        if (message.Badge is { } badge)
            aps["badge"] = badge;
        var payload = new JsonObject { ["aps"] = aps };
        foreach (var (key, value) in message.Data.Where(entry => entry.Key != "aps"))
            payload[key] = value;
        return payload;
    }

    private static async Task<string?> ReasonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))?["reason"];
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
