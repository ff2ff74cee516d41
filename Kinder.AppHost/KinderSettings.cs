using Kinder.AppHost.Infrastructure;
using Kinder.Core;
using Microsoft.Extensions.Configuration;

namespace Kinder.AppHost;

/// <summary>
/// The AppHost's own settings (section <c>Kinder</c>: appsettings.json, environment <c>Kinder__*</c>, or
/// <c>dotnet run -- --Kinder:Infrastructure=local</c>).
/// </summary>
internal sealed record KinderSettings(
    InfrastructureChoice Infrastructure,
    int RealtimeReplicas,
    KinderPorts Ports,
    string RepositoryRoot,
    string StateDirectory,
    string NodePackages,
    IReadOnlyDictionary<string, string> ServiceEnvironment,
    string Stripe,
    string Push,
    int KafkaRetentionSeconds,
    int KafkaConsumedRetentionSeconds)
{
    public static KinderSettings Read(IDistributedApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Kinder");
        var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var stateDirectory = section["StateDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, repositoryRoot)
            : Path.Combine(repositoryRoot, ".kinder");

        return new KinderSettings(
            InfrastructureChoice.Decide(builder, section["Infrastructure"]),
            section.GetValue("RealtimeReplicas", 2),
            (section.GetSection("Ports").Get<KinderPorts>() ?? new KinderPorts()).WithFreePortsForZero(),
            repositoryRoot,
            stateDirectory,
            // npm packages are installed once per checkout, wherever the data goes.
            section["NodePackages"] is { Length: > 0 } packages
                ? Path.GetFullPath(packages, repositoryRoot)
                : Path.Combine(repositoryRoot, ".kinder", "node"),
            // Environment for every Kinder service, last, so it overrides the AppHost's own choices: a trace sampler
            // for a benchmark (OTEL_TRACES_SAMPLER), DOTNET_PerfMapEnabled for a profiler, a setting to try.
            section.GetSection("ServiceEnvironment").GetChildren()
                .Where(entry => entry.Value is not null)
                .ToDictionary(entry => entry.Key, entry => entry.Value!, StringComparer.Ordinal),
            // "fake" (tools/Kinder.StripeFake, the default) or "stripe" (Stripe itself, e.g. test mode).
            (section["Stripe"] ?? "fake").ToLowerInvariant() is var stripe && stripe is "fake" or "stripe"
                ? stripe
                : throw new InvalidOperationException("Kinder:Stripe is fake or stripe."),
            // "fake" (tools/Kinder.PushFake, the default) or "providers" (FCM and APNs themselves).
            (section["Push"] ?? "fake").ToLowerInvariant() is var push && push is "fake" or "providers"
                ? push
                : throw new InvalidOperationException("Kinder:Push is fake or providers."),
            // The local Kafka mock's retention (0 = none): its fetch walks the whole log, so the log must stay short;
            // 10 minutes still covers a Workers process held in a debugger or restarted.
            section.GetValue("KafkaRetentionSeconds", 600) is var retention && retention >= 0
                ? retention
                : throw new InvalidOperationException("Kinder:KafkaRetentionSeconds is 0 (off) or more."),
            // Chat-path records their groups have committed go once this old (0 = off; only under a longer retention):
            // the chat topics take hundreds of records a second, and every fetch walks what is kept.
            section.GetValue("KafkaConsumedRetentionSeconds", 60) is var consumed && consumed >= 0
                ? consumed
                : throw new InvalidOperationException("Kinder:KafkaConsumedRetentionSeconds is 0 (off) or more."));
    }
}

/// <summary>
/// Host ports, <see cref="DefaultPorts"/> unless configured.
/// Set any to 0 for a free port picked at start (the AppHost tests do, to run beside a developer's stack).
/// </summary>
internal sealed record KinderPorts
{
    public int Api { get; init; } = DefaultPorts.Api;
    public int Realtime { get; init; } = DefaultPorts.Realtime;
    public int MailInbox { get; init; } = DefaultPorts.MailInbox;
    public int Postgres { get; init; } = DefaultPorts.Postgres;
    public int Redis { get; init; } = DefaultPorts.Redis;
    public int Kafka { get; init; } = DefaultPorts.Kafka;
    public int Smtp { get; init; } = DefaultPorts.Smtp;
    public int Storage { get; init; } = DefaultPorts.Storage;
    public int Stripe { get; init; } = DefaultPorts.Stripe;
    public int Push { get; init; } = DefaultPorts.Push;
    public int PushApns { get; init; } = DefaultPorts.PushApns;

    /// <summary>
    /// Infrastructure ports are not proxied (a proxy would sit in every query), so a port of 0 is replaced here by
    /// one <see cref="LocalPorts"/> reserves for this process. Api and Realtime keep 0: Aspire's proxy picks theirs.
    /// </summary>
    public KinderPorts WithFreePortsForZero() => this with
    {
        MailInbox = FreeIfZero(MailInbox),
        Postgres = FreeIfZero(Postgres),
        Redis = FreeIfZero(Redis),
        Kafka = FreeIfZero(Kafka),
        Smtp = FreeIfZero(Smtp),
        Storage = FreeIfZero(Storage),
        Stripe = FreeIfZero(Stripe),
        Push = FreeIfZero(Push),
        PushApns = FreeIfZero(PushApns),
    };

    private static int FreeIfZero(int port) => port != 0 ? port : LocalPorts.Reserve();
}
