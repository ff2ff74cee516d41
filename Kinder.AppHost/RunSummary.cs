using Kinder.AppHost.Infrastructure;
using Kinder.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kinder.AppHost;

/// <summary>
/// Says once, when the services are healthy, where everything is: the dashboard with its login token, the Api and
/// Realtime addresses clients use, and the mail inbox; and, the moment a resource fails (<see cref="ResourceFailures"/>),
/// which one and the last lines it wrote, so a start that cannot finish does not just wait in silence. Started on
/// <see cref="BeforeStartEvent"/>: the host's own start returns only once every resource has started.
/// </summary>
internal sealed class RunSummary(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    ResourceFailures failures,
    DistributedApplicationExecutionContext executionContext,
    KinderSettings settings,
    IConfiguration configuration,
    ILogger<RunSummary> logger)
{
    private static readonly string[] Services = [KinderResources.Api, KinderResources.Realtime, KinderResources.Workers];

    public static void Subscribe(IDistributedApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ResourceFailures>();
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, cancellationToken) =>
        {
            var summary = ActivatorUtilities.CreateInstance<RunSummary>(@event.Services);
            var stopping = @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            _ = summary.ReportAsync(stopping);
            return Task.CompletedTask;
        });
    }

    private async Task ReportAsync(CancellationToken stoppingToken)
    {
        if (!executionContext.IsRunMode)
            return;
        logger.LogInformation("Infrastructure: {Mode} ({Reason}).", settings.Infrastructure.Mode, settings.Infrastructure.Reason);
        var dashboard = configuration["ASPNETCORE_URLS"]?.Split(';')[0];
        _ = failures.ReportAsync(dashboard, stoppingToken);
        try
        {
            await Task.WhenAll(Services.Select(name => notifications.WaitForResourceHealthyAsync(name, stoppingToken)));
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (DistributedApplicationException)
        {
            return; // a service failed to start, or gave up on a resource it waits for: ResourceFailures said which
        }

        var token = configuration["AppHost:BrowserToken"];
        logger.LogInformation(
            """
            Kinder is running ({Mode} infrastructure). Ctrl+C stops everything.
              Dashboard   {Dashboard}
              Api         {Api}   (API docs: {Api}/scalar)
              Realtime    {Realtime}/hubs/chat   (SignalR; {Replicas} replicas)
              Mail inbox  {MailInbox}
              Stripe      {Stripe}
              Push        {Push}
            """,
            settings.Infrastructure.Mode.ToString().ToLowerInvariant(),
            dashboard is null ? "(disabled)" : token is null ? dashboard : $"{dashboard}/login?t={token}",
            Url(KinderResources.Api), Url(KinderResources.Api), Url(KinderResources.Realtime), settings.RealtimeReplicas,
            Url(KinderResources.Smtp),
            settings.Stripe == "fake" ? $"{Url(KinderResources.Stripe)}   (the local Stripe fake)" : "Stripe itself (Kinder:Stripe=stripe)",
            settings.Push == "fake" ? $"{Url(KinderResources.Push)}/pushes   (the local FCM/APNs fake; files in .kinder/push/)" : "FCM and APNs themselves (Kinder:Push=providers)");
    }

    private string Url(string resourceName) =>
        model.Resources.FirstOrDefault(resource => resource.Name == resourceName) is IResourceWithEndpoints resource &&
        resource.GetEndpoint(EndpointNames.Http) is { IsAllocated: true } endpoint
            ? endpoint.Url
            : "(not allocated)";
}
