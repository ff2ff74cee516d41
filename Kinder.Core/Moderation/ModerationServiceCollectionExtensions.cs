using Kinder.Core.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kinder.Core.Moderation;

public static class ModerationServiceCollectionExtensions
{
    /// <summary>The audit trail, role changes and moderation options, for every host that writes them.</summary>
    public static IServiceCollection AddModerationCore(this IServiceCollection services)
    {
        services.AddOptions<ModerationOptions>().BindConfiguration(ModerationOptions.SectionName)
            .Validate(options => options.IsValid,
                "Moderation: Reports must be a positive rule, EscalationThreshold >= 0, EscalationWindow, EscalationSuspensionDays and SuspensionSweepInterval positive, MessageContext 0..50.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<AuditTrail>();
        services.TryAddScoped<RoleChanges>();
        services.TryAddScoped<UserSecurityState>(); // a role change rewrites the user's cached state (Redis)
        return services;
    }
}
