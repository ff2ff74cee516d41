using System.Net.Http.Json;
using System.Text.Json;

namespace Kinder.Tests.AppHost;

/// <summary>The AppHost's mail inbox (smtp4dev) through its REST API: the mail a user would open.</summary>
public sealed class Smtp4devInbox(Uri inboxUrl)
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The raw source of the newest message to <paramref name="recipient"/>, waiting up to 30 s for it.</summary>
    public async Task<string> WaitForMessageToAsync(string recipient)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var page = await Client.GetFromJsonAsync<JsonElement>(new Uri(inboxUrl, "/api/messages?pageSize=200"));
            var message = page.GetProperty("results").EnumerateArray().FirstOrDefault(item =>
                item.GetProperty("to").EnumerateArray().Any(to => string.Equals(to.GetString(), recipient, StringComparison.OrdinalIgnoreCase)));
            if (message.ValueKind == JsonValueKind.Object)
                return await Client.GetStringAsync(new Uri(inboxUrl, $"/api/messages/{message.GetProperty("id").GetString()}/source"));
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No mail to {recipient} reached the inbox within 30 s.");
            await Task.Delay(250);
        }
    }
}
