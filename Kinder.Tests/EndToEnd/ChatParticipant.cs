using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core.Identity;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kinder.Tests.EndToEnd;

/// <summary>A message as a client reads it from <c>message:new</c> or history (the contract's <c>message</c>).</summary>
public sealed record ChatMessage(Guid Id, Guid ConversationId, long Seq, Guid? SenderId, string? ClientMessageId, string Type, string? Body);

/// <summary>
/// A verified user of a <see cref="KinderStack"/> (inserted into its database, signed in with the run's key, as the
/// other end-to-end tests sign in) with a REST client on the running Api and SignalR connections to its Realtime
/// instances. Everything a connection receives on <c>message:new</c> is kept in arrival order.
/// </summary>
public sealed class ChatParticipant : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly KinderStack _stack;
    private readonly List<HubConnection> _connections = [];

    private ChatParticipant(KinderStack stack, User user, string token)
    {
        _stack = stack;
        User = user;
        Token = token;
        Http = new HttpClient { BaseAddress = stack.ApiUrl, Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public User User { get; }

    public Guid Id => User.Id;

    public string Token { get; }

    public HttpClient Http { get; }

    /// <summary>Every <c>message:new</c> on any of this user's connections, in arrival order (duplicates kept).</summary>
    public ConcurrentQueue<ChatMessage> Received { get; } = new();

    /// <summary>Every <c>message:read</c>, in arrival order.</summary>
    public ConcurrentQueue<JsonElement> ReadReceipts { get; } = new();

    public HubConnection Hub => _connections[0];

    public static async Task<IReadOnlyList<ChatParticipant>> CreateAsync(KinderStack stack, int count)
    {
        var users = await TestUsers.CreateManyAsync(stack.DatabaseConnectionString, count, (user, index) =>
        {
            user.DisplayName = $"Chatter {index}";
            user.EmailVerifiedAt = DateTimeOffset.UtcNow;
        });
        return users.Select(user => new ChatParticipant(stack, user, TestTokens.For(user).Token)).ToList();
    }

    /// <summary>Connects to the hub on the given Realtime instance (0-based) and keeps what arrives.</summary>
    public async Task<HubConnection> ConnectAsync(int realtimeInstance = 0)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_stack.RealtimeUrls[realtimeInstance], "/hubs/chat"), options =>
            {
                options.AccessTokenProvider = () => Task.FromResult<string?>(Token);
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
            })
            .Build();
        connection.ServerTimeout = TimeSpan.FromSeconds(60);
        connection.On<ChatMessage>("message:new", message => Received.Enqueue(message));
        connection.On<JsonElement>("message:read", receipt => ReadReceipts.Enqueue(receipt));
        await connection.StartAsync();
        _connections.Add(connection);
        return connection;
    }

    /// <summary><c>POST /conversations</c>; returns the conversation's id.</summary>
    public async Task<Guid> CreateConversationAsync(string type, IEnumerable<ChatParticipant> others, string? title = null)
    {
        var response = await Http.PostAsJsonAsync("/api/v1/conversations",
            new { type, memberIds = others.Select(other => other.Id).ToList(), title });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK,
            $"POST /conversations answered {(int)response.StatusCode}: {text}\n{_stack.Logs()}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }

    /// <summary><c>POST …/messages</c> (a text message); asserts 202 and returns the accepted id.</summary>
    public async Task<Guid> SendAsync(Guid conversationId, string clientMessageId, string body)
    {
        var response = await PostMessageAsync(conversationId, clientMessageId, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted,
            $"POST …/messages answered {(int)response.StatusCode}: {text}");
        var accepted = JsonDocument.Parse(text).RootElement;
        Assert.Equal(clientMessageId, accepted.GetProperty("clientMessageId").GetString());
        Assert.Equal(conversationId, accepted.GetProperty("conversationId").GetGuid());
        return accepted.GetProperty("id").GetGuid();
    }

    public Task<HttpResponseMessage> PostMessageAsync(Guid conversationId, string clientMessageId, string body) =>
        Http.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/messages",
            new { clientMessageId, type = "text", body });

    /// <summary>The whole history, paged forward by <c>afterSeq</c>.</summary>
    public async Task<IReadOnlyList<ChatMessage>> HistoryAsync(Guid conversationId)
    {
        var all = new List<ChatMessage>();
        long afterSeq = 0;
        while (true)
        {
            var response = await Http.GetAsync($"/api/v1/conversations/{conversationId}/messages?afterSeq={afterSeq}&limit=100");
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET …/messages answered {(int)response.StatusCode}: {text}");
            var items = JsonDocument.Parse(text).RootElement.GetProperty("items").Deserialize<List<ChatMessage>>(Json)!;
            if (items.Count == 0)
            {
                return all;
            }
            all.AddRange(items);
            afterSeq = items.Max(item => item.Seq);
        }
    }

    /// <summary>
    /// The messages of a conversation as a client shows them: <c>message:new</c> replaces by id, so a redelivered
    /// message counts once, at its first arrival.
    /// </summary>
    public IReadOnlyList<ChatMessage> Distinct(Guid conversationId) =>
        Received.Where(message => message.ConversationId == conversationId).DistinctBy(message => message.Id).ToList();

    /// <summary>Waits (generously) until this user has seen every one of <paramref name="ids"/> on <c>message:new</c>.</summary>
    public async Task WaitForAsync(Guid conversationId, IReadOnlyCollection<Guid> ids, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var seen = Distinct(conversationId).Select(message => message.Id).ToHashSet();
            var missing = ids.Count(id => !seen.Contains(id));
            if (missing == 0)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"{User.DisplayName} is missing {missing} of {ids.Count} messages after {timeout}.\n{_stack.Logs()}");
            }
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
        Http.Dispose();
    }
}
