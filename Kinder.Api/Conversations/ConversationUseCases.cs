namespace Kinder.Api.Conversations;

public static class ConversationUseCases
{
    /// <summary>The conversation and message use cases the route tables hand requests to.</summary>
    public static IServiceCollection AddConversationUseCases(this IServiceCollection services)
    {
        services.AddScoped<CreateConversation>();
        services.AddScoped<ListConversations>();
        services.AddScoped<ArchiveConversation>();
        services.AddScoped<AddGroupMembers>();
        services.AddScoped<RemoveGroupMember>();
        services.AddScoped<ReadMessages>();
        services.AddScoped<AddReaction>();
        services.AddScoped<RemoveReaction>();
        services.AddScoped<EditMessage>();
        services.AddScoped<DeleteMessage>();
        return services;
    }
}
