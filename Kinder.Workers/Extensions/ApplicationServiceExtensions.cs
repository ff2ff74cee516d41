using Kinder.Core.PersonalData;
using Kinder.Workers.Outbox;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kinder.Workers.Extensions;

public static class ApplicationServiceExtensions
{
    /// <summary>Everything Workers registers, in one place.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddKinderDbContext();
        builder.AddRedisClient();
        builder.AddKafkaClient();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddPersonalDataSources();
        builder.Services.AddOptions<OutboxRelayOptions>()
            .BindConfiguration(OutboxRelayOptions.SectionName)
            .Validate(options => options.BatchSize is > 0 and <= 10_000, "Outbox:BatchSize must be between 1 and 10000.")
            .ValidateOnStart();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OutboxSignal>());
        builder.Services.AddHostedService<OutboxRelayService>();
        return builder;
    }
}
