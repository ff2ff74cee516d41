using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kinder.Core.Chat;

public static class ChatServiceCollectionExtensions
{
    /// <summary>The chat services every host that checks access or accepts sends uses (Api, Realtime, Workers).</summary>
    public static IServiceCollection AddChatCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<ConversationAccess>();
        services.AddScoped<MessageSubmitter>();
        services.AddScoped<ReadCursors>();
        return services;
    }
}
