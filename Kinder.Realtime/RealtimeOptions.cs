namespace Kinder.Realtime;

/// <summary>Realtime's settings, bound from the <c>Realtime</c> section.</summary>
public sealed class RealtimeOptions
{
    public const string SectionName = "Realtime";

    /// <summary>
    /// Prefix of every Redis key and the backplane channel Realtime uses. Instances serving the same users share it;
    /// test hosts sharing one Redis but not one database each take their own.
    /// </summary>
    public string RedisPrefix { get; set; } = "kinder";

    /// <summary>
    /// The name of Realtime's Kafka consumer. Every instance reads every delivery record from the end (nothing is
    /// committed) and writes it to the connections it holds. Configurable so test hosts sharing one broker tell theirs apart.
    /// </summary>
    public string ConsumerGroup { get; set; } = "realtime";

    /// <summary>How long membership, block and contact lookups are cached (changes also drop them at once).</summary>
    public TimeSpan AccessCacheLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a delivered message is remembered, so announcing it again (a client's retried send) sends no second
    /// <c>message:new</c>. Longer than a client keeps retrying.
    /// </summary>
    public TimeSpan AnnouncedMessageMemory { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Answer a hub negotiate that came through a port forwarder on this host (Aspire's proxy in front of the
    /// replicas) with a redirect to this instance's own port, so the connection that follows lands here too.
    /// Off by default: behind an ingress or load balancer the instance's port is not the clients' to reach.
    /// </summary>
    public bool RedirectNegotiateToInstance { get; set; }

    /// <summary>
    /// Hub connections one user may hold at once, across instances (counted in the presence store, so a crashed
    /// instance's connections count until they expire). One more is refused with <c>429 TOO_MANY_CONNECTIONS</c>.
    /// </summary>
    public int MaxConnectionsPerUser { get; set; } = 10;

    /// <summary>
    /// Run Kestrel's socket continuations (and the hub code they call) on the thread that saw the I/O instead of handing
    /// each to the thread pool (Kestrel's <c>UnsafePreferInlineScheduling</c>; the AppHost also sets
    /// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> for Realtime). A delivered message is a pipe write per
    /// connection and a socket send: without it each send is a thread-pool hop, with it about 2–5 % of a core less at
    /// 2,000 deliveries/s and a lower p99 (bench/results/compare.md). Safe because nothing on a connection's path blocks
    /// a thread; set false if something must.
    /// </summary>
    public bool InlineSocketScheduling { get; set; } = true;

    public PresenceOptions Presence { get; set; } = new();

    public TypingOptions Typing { get; set; } = new();

    public IdleTrimOptions IdleTrim { get; set; } = new();
}

public sealed class PresenceOptions
{
    /// <summary>How often an instance refreshes the presence entries of its connections.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long a connection counts as online after its last refresh: a crashed instance's users go offline this
    /// long after its last heartbeat. More than two heartbeats, so one late heartbeat does not flicker.
    /// </summary>
    public TimeSpan ConnectionLifetime { get; set; } = TimeSpan.FromSeconds(50);

    /// <summary>How often an instance looks for users whose every connection expired, to announce them offline.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);
}

public sealed class TypingOptions
{
    /// <summary>A typing indicator stops by itself this long after the last <c>StartTyping</c>.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an instance looks for typing indicators that ran out.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>When the GC gives back what a burst left behind (Memory/IdleHeapTrimmer.cs).</summary>
public sealed class IdleTrimOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>How often the allocation rate and the GC's committed memory are looked at.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Allocating less than this over a check counts as quiet (idle sockets' heartbeats stay well below).</summary>
    public long QuietAllocationBytesPerSecond { get; set; } = 1024 * 1024;

    /// <summary>How much the GC must hold beyond what it held after the last trim before a quiet moment trims.</summary>
    public long MinimumGrowthBytes { get; set; } = 16 * 1024 * 1024;
}
