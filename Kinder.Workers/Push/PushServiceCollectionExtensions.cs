using Kinder.Workers.Notifications;

namespace Kinder.Workers.Push;

public static class PushServiceCollectionExtensions
{
    /// <summary>
    /// The push sender behind <c>notifications.push</c>: FCM and APNs clients through IHttpClientFactory (with the
    /// service defaults' standard resilience handler: a 429, a 5xx or a timeout is retried a few times in place before
    /// the consumer's own retries take over).
    /// </summary>
    public static IServiceCollection AddPush(this IServiceCollection services)
    {
        services.AddOptions<PushOptions>()
            .BindConfiguration(PushOptions.SectionName)
            .Validate(options => IsHttpUrl(options.Fcm.BaseUrl) && IsHttpUrl(options.Fcm.TokenUri) && IsHttpUrl(options.Apns.BaseUrl),
                "Push:Fcm:BaseUrl, Push:Fcm:TokenUri and Push:Apns:BaseUrl must be absolute http(s) URLs.")
            .ValidateOnStart();
        services.AddSingleton<FcmAccessTokens>();
        services.AddSingleton<ApnsProviderTokens>();
        services.AddHttpClient(FcmAccessTokens.HttpClientName);
        services.AddHttpClient<FcmSender>();
        services.AddHttpClient<ApnsSender>();
        services.AddScoped<IPushSender, DevicePushSender>();
        return services;
    }

    private static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
