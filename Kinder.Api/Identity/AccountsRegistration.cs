using Kinder.Core;
using Kinder.Core.RateLimiting;

namespace Kinder.Api.Identity;

public static class AccountsRegistration
{
    /// <summary>Email-and-password accounts: options (validated on start), hashing, tokens, cookies, emails, limits.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .Validate(options => options.IsValid,
                $"Auth: BcryptWorkFactor must be {AuthOptions.MinimumBcryptWorkFactor}..31; lifetimes and rate limits positive.")
            .ValidateOnStart();
        services.AddOptions<AppOptions>()
            .BindConfiguration(AppOptions.SectionName)
            .Validate(options => options.IsValid, "App:PublicUrl must be an absolute http(s) URL (the base of emailed links).")
            .ValidateOnStart();
        services.AddSingleton<RedisRateLimiter>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<RefreshTokenCookies>();
        services.AddScoped<AccountTokenService>();
        services.AddScoped<AccountEmails>();
        services.AddScoped<RefreshTokenService>();
        return services;
    }
}
