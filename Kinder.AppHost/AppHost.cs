using Kinder.AppHost;
using Kinder.AppHost.Infrastructure;
using Kinder.AppHost.Infrastructure.Containers;
using Kinder.AppHost.Infrastructure.Local;
using Kinder.Core;
using Microsoft.Extensions.DependencyInjection;

var builder = DistributedApplication.CreateBuilder(args);
var settings = KinderSettings.Read(builder);

// Which infrastructure runs, and why, shows in the dashboard as a parameter and in the AppHost's log.
builder.AddParameter("infrastructure", $"{settings.Infrastructure.Mode}".ToLowerInvariant())
    .WithDescription(settings.Infrastructure.Reason)
    .ExcludeFromManifest();

var infrastructure = settings.Infrastructure.Mode == InfrastructureMode.Containers
    ? ContainerInfrastructure.Add(builder, settings)
    : LocalInfrastructure.Add(builder, settings);

// Generated once, kept in the AppHost's user secrets; a deployment asks for it.
var jwtSigningKey = builder.AddParameter("jwt-signing-key",
        new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true)
    .WithDescription("Key that signs and validates access tokens (at least 32 bytes).");

// `Kinder.Workers migrate` applies the EF Core migrations as the database's owner, creates the services' own role and
// grants it rows, and exits 0; no service starts before it has.
var migrator = infrastructure.DatabaseRole.ConfigureMigrator(
    builder.AddProject<Projects.Kinder_Workers>(KinderResources.Migrator, launchProfileName: null)
        .WithArgs("migrate")
        .WithKinderDefaults(builder, settings, infrastructure)
        .WithReference(infrastructure.Database).WaitFor(infrastructure.Database));

var api = builder.AddKinderService<Projects.Kinder_Api>(KinderResources.Api, settings.Ports.Api)
    .WithExternalHttpEndpoints()
    .WithEnvironment("Jwt__SigningKey", jwtSigningKey)
    .WithInfrastructure(builder, settings, infrastructure)
    .WaitForCompletion(migrator);
// Links in emails (verify, reset) point at the Api's own address.
api.WithEnvironment("App__PublicUrl", api.GetEndpoint(EndpointNames.Http));

// Replicas behind one address show the scale-out path (each reads the delivery records from Kafka; presence and typing cross on one Redis channel).
// The address is a TCP proxy without sticky sessions, so a negotiate is redirected to the replica that answered it.
var realtime = builder.AddKinderService<Projects.Kinder_Realtime>(KinderResources.Realtime, settings.Ports.Realtime)
    .WithReplicas(settings.RealtimeReplicas)
    .WithExternalHttpEndpoints()
    .WithEnvironment("Jwt__SigningKey", jwtSigningKey)
    // Socket completions run where the I/O was seen, as Kestrel's inline scheduling (Realtime:InlineSocketScheduling) expects.
    .WithEnvironment("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1")
    // At most 4 MB of allocation per GC heap between collections. Server GC lets gen0's budget grow to 200 MB when
    // little survives, so an idle instance's heartbeats and pings touched fresh memory for minutes with no collection
    // (RSS +26 MB in 56 s at 2,000 sockets) and a connection storm's garbage sat in gen0; GCgen0size, set here before,
    // is only the budget's floor (bench/results/compare.md, 2026-12-05).
    .WithEnvironment("DOTNET_GCGen0MaxBudget", "0x400000")
    .WithEnvironment(context =>
    {
        // Only behind the AppHost's own proxy; a deployment's ingress does sticky sessions instead.
        if (context.ExecutionContext.IsRunMode)
            context.EnvironmentVariables["Realtime__RedirectNegotiateToInstance"] = "true";
    })
    .WithInfrastructure(builder, settings, infrastructure)
    .WaitForCompletion(migrator);
api.WithReference(realtime);

// Stripe: the local fake when running here (its webhooks go to the Api), Stripe itself otherwise.
var stripe = StripeResources.Add(builder, settings, api);
stripe.Configure(api);

var workers = builder.AddKinderService<Projects.Kinder_Workers>(KinderResources.Workers, port: null)
    .WithEnvironment("App__PublicUrl", api.GetEndpoint(EndpointNames.Http)) // Workers mint the emailed links
    .WithInfrastructure(builder, settings, infrastructure)
    .WaitForCompletion(migrator);
stripe.Configure(workers);
// Push: the local FCM/APNs fake when running here, FCM and APNs themselves otherwise.
PushResources.Add(builder, settings).Configure(workers);

// With the dashboard on, Aspire's default is to wait on a dependency that failed, in case someone restarts it by hand;
// a service whose database or broker is gone fails to start instead, and the dashboard says which one it waited for.
builder.Services.Configure<ResourceNotificationServiceOptions>(options =>
    options.DefaultWaitBehavior = WaitBehavior.StopOnResourceUnavailable);
builder.Services.AddSingleton(settings);
RunSummary.Subscribe(builder);

builder.Build().Run();
