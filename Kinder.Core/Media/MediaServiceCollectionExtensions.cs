using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Core.Media;

public static class MediaServiceCollectionExtensions
{
    /// <summary>The <c>Media</c> limits and the <see cref="ImagePipeline"/> (Api for avatars, Workers for upload display sizes).</summary>
    public static IServiceCollection AddImagePipeline(this IServiceCollection services)
    {
        services.AddOptions<MediaOptions>()
            .BindConfiguration(MediaOptions.SectionName)
            .Validate(options => options is { MaxAvatarBytes: > 0, MaxAvatarPixels: > 0, MaxAvatarDimension: > 0 },
                "Media:MaxAvatarBytes, MaxAvatarPixels and MaxAvatarDimension must be positive.")
            .ValidateOnStart();
        services.AddSingleton<ImagePipeline>();
        return services;
    }
}
