using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Messaging;
using Kinder.Core.RateLimiting;
using Kinder.Core.Storage;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Conversations;

/// <summary>The conversation and message handlers' dependencies, registered scoped and taken as one parameter.</summary>
public sealed class ConversationServices(KinderDbContext db, IOptions<StorageOptions> storage, TimeProvider time,
    ConversationAccess access, ChatSignals signals, IKafkaProducer producer)
{
    public KinderDbContext Db => db;
    public StorageOptions Storage => storage.Value;
    public TimeProvider Time => time;
    public ConversationAccess Access => access;
    public ChatSignals Signals => signals;
    public IKafkaProducer Producer => producer;
}

/// <summary>What sending needs besides the conversation services: the submitter and the per-user send limit.</summary>
public sealed class MessageSendServices(MessageSubmitter submitter, RedisRateLimiter limiter, IOptions<ChatOptions> options)
{
    public MessageSubmitter Submitter => submitter;
    public RedisRateLimiter Limiter => limiter;
    public ChatOptions Options => options.Value;
}

/// <summary>Section <c>Chat</c>.</summary>
public sealed class ChatOptions
{
    public const string SectionName = "Chat";

    /// <summary>Sends per user (REST), every conversation together.</summary>
    public RateLimitRule SendRateLimit { get; set; } = new(300, TimeSpan.FromMinutes(1));
}
