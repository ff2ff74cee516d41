using System.Globalization;

namespace Kinder.Bench.Chat;

public enum BenchMode
{
    /// <summary>Clients in group (and direct) conversations sending at a set rate: latency, throughput, CPU, memory.</summary>
    Chat,

    /// <summary>Ramps idle connections up and reports the Realtime processes' memory per connection.</summary>
    Idle,

    /// <summary><c>GET /conversations</c> in a closed loop over users in several groups with messages: req/s, latency, CPU.</summary>
    Conversations,
    /// <summary>The issue-16 scenarios against Kinder and the naive reference server (bench/reference-chat), interleaved.</summary>
    Compare,

    /// <summary><c>GET /sync</c> for one user with many conversations and events: nothing changed, and after bursts.</summary>
    Sync,

    /// <summary>One event update to thousands of attendees: notification rows, hub events and pushes, timed.</summary>
    Notifications,
}

public sealed record BenchOptions
{
    public BenchMode Mode { get; init; } = BenchMode.Chat;
    public required KinderStack Stack { get; init; }
    public required Uri Api { get; init; }
    public required IReadOnlyList<Uri> Realtime { get; init; }
    public string Database { get; init; } = "";
    public string SigningKey { get; init; } = "";

    public int Clients { get; init; } = 2000;
    public int GroupSize { get; init; } = 10;

    /// <summary>Direct conversations between clients of different groups; their clients alternate between the two.</summary>
    public int Direct { get; init; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(3);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(10);
    public bool SendViaApi { get; init; }

    /// <summary>Idle mode: connections added per step.</summary>
    public int Step { get; init; } = 1000;

    /// <summary>Idle mode: how long every connection stays open after the last step before the final reading.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(10);

    public int ConnectConcurrency { get; init; } = 32;

    /// <summary>Clients use each process's own address (its ASPNETCORE_URLS), not Aspire's proxy in front of it.</summary>
    public bool Instances { get; init; }

    /// <summary>Conversations mode: the groups each client is in (each round groups the clients differently).</summary>
    public int Memberships { get; init; } = 5;

    /// <summary>Conversations mode: messages sent to each conversation before measuring.</summary>
    public int Messages { get; init; } = 3;

    /// <summary>Conversations mode: concurrent HTTP requests, each sent as soon as the last answered.</summary>
    public int Connections { get; init; } = 50;

    /// <summary>Conversations mode: another Api (another build, same stack) measured in turns with <see cref="Api"/>.</summary>
    public Uri? Against { get; init; }
    /// <summary>Compare mode: --duration was given, and replaces every scenario's own measured time.</summary>
    public bool DurationGiven { get; init; }

    /// <summary>Compare mode: each scenario runs Kinder then the reference this many times.</summary>
    public int Rounds { get; init; } = 2;

    /// <summary>Compare mode: the scenarios to run (names as in <see cref="Compare.CompareScenarios"/>); empty = all.</summary>
    public IReadOnlyList<string> Scenarios { get; init; } = [];

    public string? Markdown { get; init; }

    /// <summary>Notifications mode: attendees with a hub connection open.</summary>
    public int Connected { get; init; } = 1000;

    /// <summary>Notifications mode: the push fake whose records are counted.</summary>
    public Uri PushFake { get; init; } = new("http://localhost:5091");

    /// <summary>Notifications mode: how long to wait for the last row, hub event and push.</summary>
    public TimeSpan NotificationTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>--clients was given (notifications mode defaults to 5,000).</summary>
    public bool ClientsGiven { get; init; }

    /// <summary>Sync mode: the user's direct conversations (one other member each).</summary>
    public int SyncConversations { get; init; } = 200;

    /// <summary>Sync mode: the user's events, 5 organised, the rest going.</summary>
    public int SyncEvents { get; init; } = 50;

    /// <summary>Sync mode: bursts of changes, each followed by one sync.</summary>
    public int Bursts { get; init; } = 10;

    /// <summary>Sync mode: messages per burst, spread over the conversations.</summary>
    public int BurstMessages { get; init; } = 200;

    public const string Usage = """
        Kinder.Bench.Chat — chat load against the stack the AppHost runs from this checkout, from one process.

          --mode chat|idle|conversations|compare|sync|notifications
                                  chat (default): clients send at a set rate; idle: ramp idle connections, memory only;
                                  conversations: GET /api/v1/conversations closed loop (the clients' lists: req/s);
                                  compare (./kinder bench compare): the issue-16 scenarios against Kinder and the
                                  reference server bench/reference-chat, interleaved, with the ratio Kinder/reference;
                                  sync (./kinder bench sync): GET /api/v1/sync for one user with many conversations and
                                  events — full snapshot, nothing changed (1 client, then --connections), after bursts;
                                  notifications (./kinder bench notifications): one event update to --clients (5,000)
                                  attendees — notification rows, notification:new, pushes at the push fake, timed
          --clients N             clients (default 2000; idle mode: e.g. 10000)
          --group-size N          members per group conversation (default 10)
          --direct N              also N direct conversations (default 0); their clients alternate group/direct
          --interval SECONDS      each client sends one message per interval (default 5)
          --duration SECONDS      measured sending time (default 180)
          --warmup SECONDS        sending before measuring (default 10)
          --via hub|api           send with the hub's SendMessage (default) or POST …/messages
          --step N                idle mode: connections added per step (default 1000)
          --hold SECONDS          idle mode: connections held open after the last step (default 10; longer spans
                                  several presence heartbeats, or leaves time for a heap snapshot)
          --memberships N         conversations mode: groups per client (default 5; each round groups them anew)
          --messages N            conversations mode: messages per conversation before measuring (default 3)
          --connections N         conversations mode: requests in flight, closed loop (default 50)
          --against URL           conversations mode: also measure the Api at URL (another build run against the same
                                  stack), phases interleaved A B A B
        sync mode:
          --conversations N       the user's direct conversations (default 200)
          --events N              the user's events: 5 organised, the rest going (default 50)
          --bursts N              bursts of changes, each followed by one timed sync (default 10)
          --burst-messages N      messages per burst, over the conversations (default 200); each burst also edits 2 events
          (--duration defaults to 15 s per nothing-changed phase; --connections to 50)
        notifications mode:
          --clients N             attendees going, each with an FCM device (default 5000)
          --connected N           of them with a hub connection open (default 1000)
          --push URL              the push fake whose records are counted (default http://localhost:5091)
          --timeout SECONDS       how long to wait for the last row, event and push (default 300)
        compare mode:
          --scenarios A,B,…       of fanout1000, fanout200, sends, conversations, me, idle (default: all)
          --rounds N              Kinder then reference, N times per scenario (default 2)
          --duration SECONDS      replaces every scenario's measured time (fan-out 60, sends 30, reads 20)
          --markdown FILE         also write the comparison tables to FILE
          --api URL               default: the stack's, http://localhost:5080
          --realtime URL[,URL…]   clients are spread over these (default: the stack's, http://localhost:5081, Aspire's
                                  proxy in front of the replicas; Kinder__RealtimeReplicas=N on the AppHost scales out)
          --instances             clients call the Api and every Realtime replica at the process's own address, past
                                  Aspire's development proxy (as the reference server is called directly)
          --db CONNECTION         PostgreSQL connection string of the stack's database, also --connection (users are
                                  inserted there; default: the stack's, with the password beside its cluster)
          --jwt-key KEY           the stack's Jwt:SigningKey (tokens are minted like the Api's; default: the AppHost's
                                  jwt-signing-key parameter)
        CPU and memory are read from /proc for this checkout's Kinder.Api, Kinder.Realtime (every replica),
        Kinder.Workers, Kinder.KafkaMock, PostgreSQL and Redis processes, and Aspire's proxy.
        """ + KinderStack.Usage;

    public static BenchOptions Parse(string[] args)
    {
        var stack = KinderStack.Read(args, out args);
        var options = new BenchOptions { Stack = stack, Api = stack.Api, Realtime = [stack.Realtime] };
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int Int() => int.Parse(Value(), CultureInfo.InvariantCulture);
            TimeSpan Seconds() => TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture));
            options = name switch
            {
                "--mode" => options with { Mode = Enum.Parse<BenchMode>(Value(), ignoreCase: true) },
                "--clients" => options with { Clients = Int(), ClientsGiven = true },
                "--connected" => options with { Connected = Int() },
                "--push" => options with { PushFake = new Uri(Value()) },
                "--timeout" => options with { NotificationTimeout = Seconds() },
                "--group-size" => options with { GroupSize = Int() },
                "--direct" => options with { Direct = Int() },
                "--interval" => options with { Interval = Seconds() },
                "--duration" => options with { Duration = Seconds(), DurationGiven = true },
                "--warmup" => options with { Warmup = Seconds() },
                "--via" => options with { SendViaApi = Value() == "api" },
                "--step" => options with { Step = Int() },
                "--hold" => options with { Hold = Seconds() },
                "--memberships" => options with { Memberships = Int() },
                "--messages" => options with { Messages = Int() },
                "--connections" => options with { Connections = Int() },
                "--against" => options with { Against = new Uri(Value()) },
                "--api" => options with { Api = new Uri(Value()) },
                "--realtime" => options with
                {
                    Realtime = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(url => new Uri(url)).ToList(),
                },
                "--db" or "--connection" => options with { Database = Value() },
                "--jwt-key" => options with { SigningKey = Value() },
                "--connect-concurrency" => options with { ConnectConcurrency = Int() },
                "--instances" => options with { Instances = true },
                "--rounds" => options with { Rounds = Int() },
                "--scenarios" => options with
                {
                    Scenarios = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                },
                "--markdown" => options with { Markdown = Value() },
                "--conversations" => options with { SyncConversations = Int() },
                "--events" => options with { SyncEvents = Int() },
                "--bursts" => options with { Bursts = Int() },
                "--burst-messages" => options with { BurstMessages = Int() },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        if (options.Mode == BenchMode.Notifications && !options.ClientsGiven)
            options = options with { Clients = 5000 };
        if (options.Mode == BenchMode.Notifications && options.Connected > options.Clients)
            options = options with { Connected = options.Clients };
        if (options.Mode == BenchMode.Sync && !options.DurationGiven)
            options = options with { Duration = TimeSpan.FromSeconds(15) };
        if (options.SyncConversations < 1 || options.SyncEvents < 5 || options.Bursts < 1 || options.BurstMessages < 1)
            throw new ArgumentException("--conversations, --bursts and --burst-messages are at least 1, --events at least 5.");
        if (string.IsNullOrEmpty(options.Database))
            options = options with { Database = stack.DatabaseConnectionString(out var error) ?? throw new ArgumentException($"{error} Or give --db.") };
        if (string.IsNullOrEmpty(options.SigningKey))
            options = options with { SigningKey = stack.JwtSigningKey(out var error) ?? throw new ArgumentException($"{error} Or give --jwt-key.") };
        if (options.Clients < 2 || options.GroupSize < 2) throw new ArgumentException("Need at least 2 clients and groups of 2.");
        if (options.Direct * 2 > options.Clients) throw new ArgumentException("--direct N needs 2N clients.");
        if (options.Memberships < 1 || options.Messages < 0 || options.Connections < 1)
            throw new ArgumentException("--memberships and --connections are at least 1, --messages at least 0.");
        return options;
    }
}
