using StackExchange.Redis;

namespace Kinder.Workers.Email;

/// <summary>
/// The envelope ids of emails already sent, in Redis, so a record delivered twice (at-least-once) is mailed once.
/// Redeliveries come within minutes of the first (a rebalance, a restart); a few days of memory is plenty.
/// </summary>
public sealed class SentEmails(IConnectionMultiplexer redis)
{
    public static readonly TimeSpan Memory = TimeSpan.FromDays(3);

    public static string Key(Guid envelopeId) => $"kinder:email-sent:{envelopeId}";

    public Task<bool> WasSentAsync(Guid envelopeId) => redis.GetDatabase().KeyExistsAsync(Key(envelopeId));

    public Task RememberAsync(Guid envelopeId) =>
        redis.GetDatabase().StringSetAsync(Key(envelopeId), "1", Memory, When.NotExists);
}
