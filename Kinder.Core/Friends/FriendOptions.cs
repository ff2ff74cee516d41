using Kinder.Core.RateLimiting;

namespace Kinder.Core.Friends;

/// <summary>Section <c>Friends</c>: how often people may ask and invite, and how long a decline holds back a new request.</summary>
public sealed class FriendOptions
{
    public const string SectionName = "Friends";

    /// <summary>Friend requests sent per user.</summary>
    public RateLimitRule RequestRateLimit { get; set; } = new(30, TimeSpan.FromHours(1));

    /// <summary>Calls of <c>POST /events/{id}/invites</c> per user (each invites up to 50 people).</summary>
    public RateLimitRule InviteRateLimit { get; set; } = new(30, TimeSpan.FromHours(1));

    /// <summary>After a decline, the same person may ask again only this much later.</summary>
    public TimeSpan DeclineCooldown { get; set; } = TimeSpan.FromDays(7);

    public bool IsValid() => RequestRateLimit.IsValid && InviteRateLimit.IsValid && DeclineCooldown >= TimeSpan.Zero;
}
