using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;

namespace Kinder.Tests.AppHost;

/// <summary>The AppHost's mail inbox (smtp4dev) through its REST API: the mail a user would open.</summary>
public sealed class Smtp4devInbox(Uri inboxUrl)
{
    private static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(30);
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(10) };

    // The inbox keeps every message of the run; each is fetched and parsed once.
    private readonly ConcurrentDictionary<string, MimeMessage> _parsed = new();

    /// <summary>A message to <paramref name="recipient"/>, waiting up to <paramref name="timeout"/> (30 s) for it.</summary>
    public Task<MimeMessage> WaitForMessageToAsync(string recipient, TimeSpan? timeout = null) =>
        WaitForMessageAsync(message => message.To.Mailboxes.Concat(message.Cc.Mailboxes).Any(mailbox =>
            string.Equals(mailbox.Address, recipient, StringComparison.OrdinalIgnoreCase)),
            timeout ?? DefaultPatience, $"to {recipient}");

    /// <summary>The first message that matches, waiting up to <paramref name="timeout"/> for one to arrive.</summary>
    public async Task<MimeMessage> WaitForMessageAsync(Func<MimeMessage, bool> predicate, TimeSpan timeout, string what = "that matches")
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var match = (await MessagesAsync()).FirstOrDefault(predicate);
            if (match is not null)
                return match;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No mail {what} reached the inbox within {timeout.TotalSeconds:0} s.");
            await Task.Delay(100);
        }
    }

    private async Task<IReadOnlyList<MimeMessage>> MessagesAsync()
    {
        var page = await Client.GetFromJsonAsync<JsonElement>(new Uri(inboxUrl, "/api/messages?pageSize=200"));
        var messages = new List<MimeMessage>();
        foreach (var id in page.GetProperty("results").EnumerateArray().Select(item => item.GetProperty("id").GetString()!))
        {
            if (!_parsed.TryGetValue(id, out var message))
            {
                await using var source = await Client.GetStreamAsync(new Uri(inboxUrl, $"/api/messages/{id}/raw"));
                message = _parsed.GetOrAdd(id, await MimeMessage.LoadAsync(source));
            }
            messages.Add(message);
        }
        return messages;
    }
}
