using Kinder.Core.Moderation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kinder.Core.Payments;

public static class PaymentsServiceCollectionExtensions
{
    /// <summary>Stripe's settings, the products and the gateway, for the Api and Workers alike.</summary>
    public static IServiceCollection AddPaymentsCore(this IServiceCollection services)
    {
        services.AddOptions<StripeOptions>().BindConfiguration(StripeOptions.SectionName)
            .Validate(options => options.WebhookToleranceSeconds is > 0 and <= 3600,
                "Stripe:WebhookToleranceSeconds must be between 1 and 3600.")
            .ValidateOnStart();
        services.AddOptions<PaymentsOptions>().BindConfiguration(PaymentsOptions.SectionName)
            .Validate(options => options.Products.All(product => product.IsValid),
                "Payments:Products: every product needs an id, a name, a positive price, a currency, and credits (packs) or an interval (plans).")
            .Validate(options => options.CreditValueMinor > 0 && options.TicketHold > TimeSpan.Zero,
                "Payments:CreditValueMinor and Payments:TicketHold must be positive.")
            .Validate(options => options.PlatformFeePercent is >= 0 and <= 100,
                "Payments:PlatformFeePercent must be between 0 and 100.")
            .Validate(options => options.Products.Select(product => product.Id).Distinct().Count() == options.Products.Count,
                "Payments:Products: product ids must be unique.")
            .ValidateOnStart();
        services.AddOptions<PremiumOptions>().BindConfiguration(PremiumOptions.SectionName)
            .Validate(options => options.GracePeriod >= TimeSpan.Zero && options.FreeEventsPer30Days >= 0 &&
                    options.PremiumEventsPer30Days >= options.FreeEventsPer30Days,
                "Premium: GracePeriod must not be negative, and PremiumEventsPer30Days must be at least FreeEventsPer30Days.")
            .ValidateOnStart();
        services.AddSingleton<StripeGateway>();
        services.AddScoped<SubscriptionEvents>();
        services.AddScoped<PremiumPolicy>();
        services.AddScoped<StripeEventProcessor>();
        services.AddScoped<CancelledEventRefunds>();
        services.AddScoped<StripeRefunds>();
        services.TryAddScoped<AuditTrail>(); // refunds are audited
        return services;
    }
}
