using Kinder.Core.RateLimiting;
using Kinder.Core.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kinder.Core.Chat;

public static class ChatServiceCollectionExtensions
{
    /// <summary>The chat services every host that checks access or accepts sends uses (Api, Realtime, Workers).</summary>
    public static IServiceCollection AddChatCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RedisRateLimiter>();
        services.TryAddSingleton<LeasedRateLimiter>();
        services.AddOptions<ChatOptions>()
            .BindConfiguration(ChatOptions.SectionName)
            .Validate(options => options.SendRateLimit.IsValid, "Chat:SendRateLimit needs a positive PermitLimit and Window.")
            .ValidateOnStart();
        // The send's rules (and any other in Kinder.Core), for the Api's filter and the hub alike.
        services.AddKinderValidators(typeof(ChatServiceCollectionExtensions).Assembly);
        services.AddScoped<ConversationAccess>();
        services.TryAddScoped<IConversationWriteAccess>(provider => provider.GetRequiredService<ConversationAccess>());
        services.AddScoped<MessageSendGate>();
        services.AddScoped<MessageSubmitter>();
        services.AddScoped<ReadCursors>();
        return services;
    }
}
