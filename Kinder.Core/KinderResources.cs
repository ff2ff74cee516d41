namespace Kinder.Core;

/// <summary>
/// Resource and connection names shared by the AppHost, the services, the local runner and the tests.
/// An AppHost injects <c>ConnectionStrings__{name}</c> for each of these.
/// </summary>
public static class KinderResources
{
    public const string Postgres = "postgres";
    public const string Database = "kinderdb";
    public const string Redis = "redis";
    public const string Kafka = "kafka";
    public const string Storage = "storage";
    public const string Smtp = "smtp";
    public const string Stripe = "stripe";
    public const string Push = "push";

    public const string Api = "api";
    public const string Realtime = "realtime";
    public const string Workers = "workers";
    public const string Migrator = "migrator";
}
