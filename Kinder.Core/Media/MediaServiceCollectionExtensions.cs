using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Core.Media;

public static class MediaServiceCollectionExtensions
{
    /// <summary>The <c>Media</c> limits and the <see cref="ImagePipeline"/> (Api for avatars, Workers for upload display sizes).</summary>
    public static IServiceCollection AddImagePipeline(this IServiceCollection services)
    {
        services.AddOptions<MediaOptions>()
            .BindConfiguration(MediaOptions.SectionName)
            .Validate(options => options is { MaxAvatarBytes: > 0, MaxAvatarPixels: > 0, MaxAvatarDimension: > 0, MaxConcurrentDecodes: > 0, MaxDecodeMemoryBytes: > 0 },
                "Media:MaxAvatarBytes, MaxAvatarPixels, MaxAvatarDimension, MaxConcurrentDecodes and MaxDecodeMemoryBytes must be positive.")
            .Validate(options => options.AvatarRateLimit.IsValid, "Media:AvatarRateLimit needs a positive PermitLimit and Window.")
            .ValidateOnStart();
        services.AddSingleton<ImagePipeline>();
        return services;
    }
}
