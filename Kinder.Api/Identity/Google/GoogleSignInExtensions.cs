namespace Kinder.Api.Identity.Google;

public static class GoogleSignInExtensions
{
    /// <summary>Google sign-in's options, state store, HTTP clients (resilient, from the service defaults) and validator.</summary>
    public static IHostApplicationBuilder AddGoogleSignIn(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GoogleOptions>()
            .BindConfiguration(GoogleOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(options => options.AllowedRedirectUrisAreValid(),
                "Google:AllowedRedirectUris must be absolute URIs without a fragment.")
            .ValidateOnStart();
        builder.Services.AddSingleton<GoogleSignInStates>();
        builder.Services.AddHttpClient<GoogleTokenClient>();
        builder.Services.AddHttpClient(GoogleSigningKeys.HttpClientName);
        builder.Services.AddSingleton<GoogleSigningKeys>();
        builder.Services.AddSingleton<GoogleIdTokenValidator>();
        builder.Services.AddScoped<GoogleAccounts>();
        return builder;
    }
}
