using System.Collections.Concurrent;
using System.Text.Json;
using Kinder.Realtime.Hubs;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kinder.Tests.Realtime;

/// <summary>Every server event a connection receives, with when it arrived, for tests to wait on.</summary>
public sealed class ServerEventLog
{
    private static readonly string[] Names =
    [
        ServerEvents.MessageNew, ServerEvents.MessageRead, ServerEvents.TypingStart, ServerEvents.TypingStop,
        ServerEvents.PresenceOnline, ServerEvents.PresenceOffline, ServerEvents.ReactionChanged, ServerEvents.EventUpdated,
        ServerEvents.ProbeRecorded, ServerEvents.NotificationNew,
    ];

    private readonly ConcurrentQueue<(string Name, JsonElement Payload, DateTime At)> events = new();

    public ServerEventLog(HubConnection connection)
    {
        foreach (var name in Names)
            connection.On<JsonElement>(name, payload => events.Enqueue((name, payload, DateTime.UtcNow)));
    }

    public IEnumerable<JsonElement> All(string name, Func<JsonElement, bool>? match = null) =>
        events.Where(e => e.Name == name && (match?.Invoke(e.Payload) ?? true)).Select(e => e.Payload);

    /// <summary>Every event so far, for failure messages.</summary>
    public override string ToString() =>
        string.Join("; ", events.Select(e => $"{e.At:HH:mm:ss.fff} {e.Name} {e.Payload.GetRawText()}"));

    public int Count(string name, Func<JsonElement, bool>? match = null) => All(name, match).Count();

    /// <summary>The first event of that name matching, waiting for it up to <paramref name="timeout"/> (10 s).</summary>
    public async Task<(JsonElement Payload, DateTime At)> WaitAsync(string name, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            foreach (var e in events)
            {
                if (e.Name == name && (match?.Invoke(e.Payload) ?? true))
                    return (e.Payload, e.At);
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No '{name}' event arrived in time; got: {string.Join(", ", events.Select(x => x.Name))}");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits <paramref name="period"/> and asserts no such event arrived.</summary>
    public async Task AssertNoneAsync(string name, Func<JsonElement, bool>? match = null, TimeSpan? period = null)
    {
        await Task.Delay(period ?? TimeSpan.FromSeconds(1.5));
        Assert.Equal(0, Count(name, match));
    }

    public static Func<JsonElement, bool> About(Guid userId) =>
        payload => payload.GetProperty("userId").GetGuid() == userId;
}
