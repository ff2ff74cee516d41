using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Core.Uploads;

public static class UploadServiceCollectionExtensions
{
    /// <summary>The <c>Uploads</c> section, checked at start: the Api signs and completes with it, Workers sweep with it.</summary>
    public static IServiceCollection AddUploadOptions(this IServiceCollection services)
    {
        services.AddOptions<UploadOptions>()
            .BindConfiguration(UploadOptions.SectionName)
            .Validate(options => options.UrlLifetime > TimeSpan.Zero && options.EventImage.MaxBytes > 0 && options.ChatAttachment.MaxBytes > 0,
                "Uploads:UrlLifetime and every purpose's MaxBytes must be positive.")
            .Validate(options => options.PendingLifetime > options.UrlLifetime && options.SweepInterval > TimeSpan.Zero,
                "Uploads:PendingLifetime must be longer than UrlLifetime, and SweepInterval positive.")
            .Validate(options => options.DailyUploads.IsValid && options.DailyBytes.IsValid,
                "Uploads:DailyUploads and DailyBytes need a positive PermitLimit and Window.")
            .ValidateOnStart();
        return services;
    }
}
