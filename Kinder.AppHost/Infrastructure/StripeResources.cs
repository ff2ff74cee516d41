using Kinder.Core;

namespace Kinder.AppHost.Infrastructure;

/// <summary>
/// Where the services reach Stripe. Running here with <c>Kinder:Stripe=fake</c> (the default), the Stripe fake
/// (tools/Kinder.StripeFake) runs as the <c>stripe</c> resource with keys generated for the run, and sends its webhooks
/// to the Api; with <c>Kinder:Stripe=stripe</c>, and always in a published deployment, the services call Stripe itself
/// with the parameters <c>stripe-api-key</c> (a test-mode <c>sk_test_…</c> key, say) and <c>stripe-webhook-secret</c>.
/// </summary>
internal sealed record StripeResources(
    IResourceBuilder<ProjectResource>? Fake,
    IResourceBuilder<ParameterResource> ApiKey,
    IResourceBuilder<ParameterResource> WebhookSecret)
{
    public const string WebhookPath = "/api/v1/payments/webhooks/stripe";

    public static StripeResources Add(IDistributedApplicationBuilder builder, KinderSettings settings,
        IResourceBuilder<ProjectResource> api)
    {
        if (!builder.ExecutionContext.IsRunMode || settings.Stripe != "fake")
        {
            return new StripeResources(null,
                builder.AddParameter("stripe-api-key", secret: true)
                    .WithDescription("Stripe's secret key (sk_test_… for test mode)."),
                builder.AddParameter("stripe-webhook-secret", secret: true)
                    .WithDescription("The signing secret (whsec_…) of the Stripe webhook endpoint pointing at /api/v1/payments/webhooks/stripe."));
        }
        var apiKey = builder.AddParameter("stripe-api-key",
            new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true).ExcludeFromManifest();
        var webhookSecret = builder.AddParameter("stripe-webhook-secret",
            new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true).ExcludeFromManifest();
        var port = settings.Ports.Stripe;
        var fake = builder.AddProject<Projects.Kinder_StripeFake>(KinderResources.Stripe, launchProfileName: null)
            .WithHttpEndpoint(port: port, targetPort: port, name: EndpointNames.Http, isProxied: false)
            .WithEnvironment("StripeFake__Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("StripeFake__ApiKey", apiKey)
            .WithEnvironment("StripeFake__WebhookSecret", webhookSecret)
            .WithEnvironment("StripeFake__WebhookUrl",
                ReferenceExpression.Create($"{api.GetEndpoint(EndpointNames.Http)}{WebhookPath}"))
            .WithHttpHealthCheck("/", endpointName: EndpointNames.Http)
            .WithIconName("Payment")
            .ExcludeFromManifest();
        return new StripeResources(fake, apiKey, webhookSecret);
    }

    /// <summary>The keys under the names the services bind (<c>Stripe:ApiKey</c>, …), and the fake's address.</summary>
    public IResourceBuilder<ProjectResource> Configure(IResourceBuilder<ProjectResource> service)
    {
        service.WithEnvironment("Stripe__ApiKey", ApiKey).WithEnvironment("Stripe__WebhookSecret", WebhookSecret);
        return Fake is null ? service
            : service.WithEnvironment("Stripe__ApiBase", Fake.GetEndpoint(EndpointNames.Http));
    }
}
