using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Api.Identity;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Bench.Chat;

/// <summary>One simulated user: its token and, once connected, its hub connection.</summary>
public sealed class BenchClient(User user, string token, int index)
{
    public User User { get; } = user;
    /// <summary>Renewed by <see cref="BenchWorld.RenewTokens"/> for runs longer than a token lives.</summary>
    public string Token { get; set; } = token;
    public int Index { get; } = index;
    public HubConnection? Connection { get; set; }

    /// <summary>The conversations this client sends to, in turn, with each one's member count.</summary>
    public List<(Guid ConversationId, int Members)> Conversations { get; } = [];
}

/// <summary>Users, conversations and connections for a run: made directly (users) and through the Api (conversations).</summary>
public static class BenchWorld
{
    public static async Task<IReadOnlyList<BenchClient>> CreateUsersAsync(BenchOptions options, int count)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var users = Enumerable.Range(0, count).Select(index => new User
        {
            Email = $"bench-{run}-{index}@bench.invalid",
            DisplayName = $"Bench {index}",
            EmailVerified = true,
            EmailVerifiedAt = DateTimeOffset.UtcNow,
            OnboardingCompletedAt = DateTimeOffset.UtcNow,
        }).ToList();
        foreach (var chunk in users.Chunk(2000))
        {
            var db = new DbContextOptionsBuilder<KinderDbContext>();
            KinderDbContextOptions.Configure(db, options.Database, maxRetryCount: 0);
            await using var context = new KinderDbContext(db.Options);
            context.ChangeTracker.AutoDetectChangesEnabled = false;
            context.Users.AddRange(chunk);
            await context.SaveChangesAsync();
        }

        var issuer = Issuer(options);
        return users.Select((user, index) => new BenchClient(user, issuer.Issue(user).Token, index)).ToList();
    }

    /// <summary>New tokens for clients that outlive one (the compare bench runs longer than the token lifetime).</summary>
    public static void RenewTokens(BenchOptions options, IEnumerable<BenchClient> clients)
    {
        var issuer = Issuer(options);
        foreach (var client in clients) client.Token = issuer.Issue(client.User).Token;
    }

    // Signed as the Api signs them (AccessTokenIssuer), with the stack's key; valid for the token lifetime.
    private static AccessTokenIssuer Issuer(BenchOptions options) =>
        new(Options.Create(new JwtOptions { SigningKey = options.SigningKey }), TimeProvider.System);

    public static HttpClient ApiClient(BenchOptions options, string token)
    {
        var client = new HttpClient(SharedHandler, disposeHandler: false) { BaseAddress = options.Api, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static readonly SocketsHttpHandler SharedHandler = new() { MaxConnectionsPerServer = 64 };

    /// <summary>Groups of <see cref="BenchOptions.GroupSize"/> consecutive clients, then the direct pairs.</summary>
    public static async Task<(int Groups, int Directs)> CreateConversationsAsync(BenchOptions options, IReadOnlyList<BenchClient> clients)
    {
        var groups = clients.Chunk(options.GroupSize).Where(group => group.Length >= 2).ToList();
        await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (group, cancellationToken) =>
        {
            var id = await CreateConversationAsync(options, group[0], "group",
                group.Skip(1).Select(member => member.User.Id), $"Bench group {group[0].Index / options.GroupSize}", cancellationToken);
            foreach (var member in group) lock (member) member.Conversations.Add((id, group.Length));
        });

        // Direct pairs join a client with the one half the population away, so the pair spans two groups.
        var pairs = Enumerable.Range(0, options.Direct).Select(i => (clients[i], clients[i + clients.Count / 2])).ToList();
        await Parallel.ForEachAsync(pairs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (pair, cancellationToken) =>
        {
            var id = await CreateConversationAsync(options, pair.Item1, "direct", [pair.Item2.User.Id], null, cancellationToken);
            foreach (var member in new[] { pair.Item1, pair.Item2 }) lock (member) member.Conversations.Add((id, 2));
        });
        return (groups.Count, pairs.Count);
    }

    public static async Task<Guid> CreateConversationAsync(BenchOptions options, BenchClient owner, string type,
        IEnumerable<Guid> memberIds, string? title, CancellationToken cancellationToken)
    {
        using var http = ApiClient(options, owner.Token);
        var response = await http.PostAsJsonAsync("/api/v1/conversations", new { type, memberIds, title }, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
            throw new InvalidOperationException($"POST /api/v1/conversations answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }

    public static HubConnection NewConnection(BenchOptions options, BenchClient client)
    {
        var realtime = options.Realtime[client.Index % options.Realtime.Count];
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(realtime, "/hubs/chat"), http =>
            {
                http.AccessTokenProvider = () => Task.FromResult<string?>(client.Token);
                http.Transports = HttpTransportType.WebSockets;
                http.SkipNegotiation = true;
            })
            .Build();
        connection.ServerTimeout = TimeSpan.FromSeconds(120);
        return connection;
    }

    /// <summary>Connects every client, a bounded number at a time; returns how many failed.</summary>
    public static async Task<int> ConnectAsync(BenchOptions options, IEnumerable<BenchClient> clients, Action<BenchClient, HubConnection> configure)
    {
        var failed = 0;
        await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = options.ConnectConcurrency },
            async (client, cancellationToken) =>
            {
                var connection = NewConnection(options, client);
                configure(client, connection);
                try
                {
                    await connection.StartAsync(cancellationToken);
                    client.Connection = connection;
                }
                // OperationCanceledException: the handshake's timeout (15 s) ran out, e.g. on a machine saturated by other work.
                catch (Exception exception) when (exception is HttpRequestException or IOException or TimeoutException
                                                      or System.Net.WebSockets.WebSocketException or OperationCanceledException)
                {
                    if (Interlocked.Increment(ref failed) <= 3) Console.Error.WriteLine($"connect failed: {exception.Message}");
                    await connection.DisposeAsync();
                }
            });
        return failed;
    }

    /// <summary>A valid public event <paramref name="days"/> days ahead (POST and PUT /events take the whole event).</summary>
    public static object EventBody(string title, int days) => new
    {
        title,
        description = "Made by a benchmark.",
        startsAt = DateTimeOffset.UtcNow.Date.AddDays(days).AddHours(18),
        endsAt = DateTimeOffset.UtcNow.Date.AddDays(days).AddHours(21),
        location = new { latitude = 52.52, longitude = 13.405, address = "Alexanderplatz", city = "Berlin" },
        categoryId = 201,
        visibility = "public",
        imageKeys = Array.Empty<string>(),
    };
}
