using Kinder.Core.RateLimiting;

namespace Kinder.Core.Chat;

/// <summary>Section <c>Chat</c>, read by every host that accepts sends (Api, Realtime).</summary>
public sealed class ChatOptions
{
    public const string SectionName = "Chat";

    /// <summary>Sends per user, every conversation and both ways in (REST and the hub) together.</summary>
    public RateLimitRule SendRateLimit { get; set; } = new(300, TimeSpan.FromMinutes(1));
}
