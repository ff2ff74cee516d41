using System.Net.Http.Json;
using System.Text.Json;

namespace Kinder.Tests.Sync;

/// <summary>
/// The reference offline client of the sync protocol (docs/api/README.md, Sync): it keeps the cursor, the counters of
/// each conversation, the messages it has seen and the caller's events. On (re)connect <see cref="SyncAsync"/> pages
/// through <c>GET /sync</c>, then reads <c>afterSeq</c> for every conversation whose <c>lastSeq</c> is ahead of what it
/// holds; a live <c>message:new</c> whose seq skips one (<see cref="OnLiveMessageAsync"/>) triggers the same catch-up.
/// It refuses to hold a message twice or out of order, so a test can trust what it ends up with.
/// </summary>
public sealed class SyncClient(HttpClient http, int? pageSize = null)
{
    public string? Cursor { get; private set; }
    public Dictionary<Guid, ConversationState> Conversations { get; } = [];
    public Dictionary<Guid, EventState> Events { get; } = [];

    /// <summary>How many <c>GET /sync</c> pages and message pages the client has read.</summary>
    public int SyncCalls { get; private set; }
    public int MessageFetches { get; private set; }

    public sealed class ConversationState
    {
        public long LastSeq { get; set; }
        public int UnreadCount { get; set; }
        public long LastReadSeq { get; set; }
        public bool Archived { get; set; }
        public List<(long Seq, Guid Id)> Messages { get; } = [];
        public long HeldSeq => Messages.Count == 0 ? 0 : Messages[^1].Seq;
    }

    public sealed record EventState(DateTimeOffset UpdatedAt, string? MyStatus, string Status);

    public async Task SyncAsync()
    {
        bool more;
        do
        {
            var query = new List<string>();
            if (Cursor is not null)
                query.Add($"since={Uri.EscapeDataString(Cursor)}");
            if (pageSize is not null)
                query.Add($"limit={pageSize}");
            var page = await GetAsync($"/api/v1/sync?{string.Join('&', query)}");
            SyncCalls++;
            foreach (var conversation in page.GetProperty("conversations").EnumerateArray())
            {
                var id = conversation.GetProperty("id").GetGuid();
                if (conversation.GetProperty("left").GetBoolean())
                {
                    Conversations.Remove(id);
                    continue;
                }
                var state = Conversations.TryGetValue(id, out var held) ? held : Conversations[id] = new ConversationState();
                state.LastSeq = Math.Max(state.LastSeq, conversation.GetProperty("lastSeq").GetInt64());
                state.UnreadCount = conversation.GetProperty("unreadCount").GetInt32();
                state.LastReadSeq = conversation.GetProperty("lastReadSeq").GetInt64();
                state.Archived = conversation.GetProperty("archived").GetBoolean();
            }
            foreach (var @event in page.GetProperty("events").EnumerateArray())
            {
                Events[@event.GetProperty("id").GetGuid()] = new EventState(
                    @event.GetProperty("updatedAt").GetDateTimeOffset(),
                    @event.TryGetProperty("myStatus", out var status) ? status.GetString() : null,
                    @event.GetProperty("status").GetString()!);
            }
            Cursor = page.GetProperty("cursor").GetString();
            more = page.GetProperty("hasMore").GetBoolean();
        }
        while (more);

        foreach (var (id, state) in Conversations.Where(pair => pair.Value.LastSeq > pair.Value.HeldSeq).ToList())
        {
            await CatchUpAsync(id, state);
        }
    }

    /// <summary>A live <c>message:new</c>: kept if it is the next seq; a gap is filled from the server first.</summary>
    public async Task OnLiveMessageAsync(Guid conversationId, long seq, Guid messageId)
    {
        var state = Conversations.TryGetValue(conversationId, out var held)
            ? held
            : Conversations[conversationId] = new ConversationState();
        state.LastSeq = Math.Max(state.LastSeq, seq);
        if (seq <= state.HeldSeq)
            return;
        if (seq > state.HeldSeq + 1)
        {
            await CatchUpAsync(conversationId, state);
            return;
        }
        Keep(state, seq, messageId);
    }

    private async Task CatchUpAsync(Guid conversationId, ConversationState state)
    {
        var path = $"/api/v1/conversations/{conversationId}/messages?afterSeq={state.HeldSeq}&limit=100";
        while (true)
        {
            var page = await GetAsync(path);
            MessageFetches++;
            foreach (var message in page.GetProperty("items").EnumerateArray())
            {
                var seq = message.GetProperty("seq").GetInt64();
                if (seq > state.HeldSeq)
                    Keep(state, seq, message.GetProperty("id").GetGuid());
            }
            if (!page.TryGetProperty("nextCursor", out var next) || next.ValueKind == JsonValueKind.Null)
                break;
            path = $"/api/v1/conversations/{conversationId}/messages?cursor={Uri.EscapeDataString(next.GetString()!)}&limit=100";
        }
        state.LastSeq = Math.Max(state.LastSeq, state.HeldSeq);
    }

    private static void Keep(ConversationState state, long seq, Guid id)
    {
        if (seq != state.HeldSeq + 1)
            throw new InvalidOperationException($"Message seq {seq} after {state.HeldSeq}: a gap or a repeat.");
        state.Messages.Add((seq, id));
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }
}
