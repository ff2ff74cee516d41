using System.Security.Claims;
using Kinder.Core.Identity;
using Kinder.Core.RateLimiting;
using Microsoft.Extensions.Options;

namespace Kinder.Core.Chat;

/// <summary>
/// What a send passes before anything else, from REST or the hub alike: a verified email (docs/api/README.md, Auth: messaging waits for
/// it), then the per-user send limit. The limit is one Redis counter per user, so both ways in spend one budget (taken a
/// few permits at a time, see <see cref="LeasedRateLimiter"/>).
/// </summary>
public sealed class MessageSendGate(LeasedRateLimiter limiter, IOptions<ChatOptions> options)
{
    public const string LimitName = "chat-send";

    /// <summary>Null when the send may go on; else the refusal to answer.</summary>
    public async Task<SendMessageResult?> CheckAsync(ClaimsPrincipal sender)
    {
        if (!sender.IsEmailVerified())
            return new SendMessageResult.Unverified();
        var decision = await limiter.HitAsync(LimitName, sender.GetUserId().ToString(), options.Value.SendRateLimit);
        return decision.IsAllowed ? null : new SendMessageResult.RateLimited(decision);
    }
}
