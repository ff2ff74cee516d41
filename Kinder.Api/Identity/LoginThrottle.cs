using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kinder.Api.Identity;

/// <summary>
/// Per-account sign-in throttling with growing delays, whatever address the attempts come from: after
/// <see cref="LoginThrottleOptions.FreeFailures"/> failures for one email, each further attempt waits a delay that doubles
/// from <see cref="LoginThrottleOptions.FirstDelay"/> up to <see cref="LoginThrottleOptions.MaxDelay"/>. Capped, and reset
/// by a success, so a guesser can slow an account down but never lock its owner out for good (who can also still reset
/// the password or use Google). In Redis, so every Api instance counts the same; the email is hashed.
/// </summary>
public sealed class LoginThrottle(IConnectionMultiplexer redis, IOptions<AuthOptions> options)
{
    // Counted before the password is checked (a success resets it), so concurrent guesses cannot slip past the count.
    // Returns 0 when the attempt may go on, else the milliseconds left of the current delay.
    private static readonly LuaScript Attempt = LuaScript.Prepare("""
        local waiting = redis.call('PTTL', @wait)
        if waiting > 0 then
          return waiting
        end
        local count = redis.call('INCR', @failures)
        redis.call('PEXPIRE', @failures, @forget)
        local free = tonumber(@free)
        if count >= free then
          local delay = tonumber(@first) * 2 ^ math.min(count - free, 40)
          delay = math.min(delay, tonumber(@max))
          redis.call('SET', @wait, '1', 'PX', math.floor(delay))
        end
        return 0
        """);

    /// <summary>Null when the attempt may go on; else how long the account waits.</summary>
    public async Task<TimeSpan?> AttemptAsync(string email)
    {
        var throttle = options.Value.LoginThrottle;
        var (failures, wait) = Keys(email);
        var waiting = (long)(await redis.GetDatabase().ScriptEvaluateAsync(Attempt, new
        {
            failures,
            wait,
            forget = (long)throttle.ForgetAfter.TotalMilliseconds,
            free = throttle.FreeFailures,
            first = (long)throttle.FirstDelay.TotalMilliseconds,
            max = (long)throttle.MaxDelay.TotalMilliseconds,
        }));
        return waiting > 0 ? TimeSpan.FromMilliseconds(waiting) : null;
    }

    /// <summary>A successful sign-in forgives the account's failures.</summary>
    public Task SucceededAsync(string email)
    {
        var (failures, wait) = Keys(email);
        return redis.GetDatabase().KeyDeleteAsync([failures, wait]);
    }

    /// <summary>One account however it is typed: trimmed, case-insensitive (the column is citext).</summary>
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    /// <summary>The key whose expiry ends the account's current delay.</summary>
    public static RedisKey WaitKey(string email) => $"{FailuresKey(email)}:wait";

    private static string FailuresKey(string email) =>
        $"kinder:login-throttle:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(email))))}";

    private static (RedisKey Failures, RedisKey Wait) Keys(string email) => (FailuresKey(email), WaitKey(email));
}

/// <summary>Section <c>Auth:LoginThrottle</c>: per-account sign-in throttling.</summary>
public sealed class LoginThrottleOptions
{
    /// <summary>Failures in a row an account may have before attempts wait.</summary>
    public int FreeFailures { get; set; } = 5;

    /// <summary>The first wait; each further failure doubles it.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest wait.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures are forgotten this long after the last attempt.</summary>
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromDays(1);

    public bool IsValid => FreeFailures > 0 && FirstDelay > TimeSpan.Zero && MaxDelay >= FirstDelay && ForgetAfter >= MaxDelay;
}
