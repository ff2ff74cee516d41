using Kinder.AppHost;
using Kinder.Core;

var builder = DistributedApplication.CreateBuilder(args);

// Secrets come from user secrets (Parameters:<name>), the environment, or the dashboard's prompt.
var jwtSigningKey = builder.AddParameter("jwt-signing-key", secret: true)
    .WithDescription("Key that signs and validates access tokens (at least 32 bytes).");
var storageAccessKey = builder.AddParameter("storage-access-key", secret: true)
    .WithDescription("S3 access key; also the MinIO root user (at least 3 characters).");
var storageSecretKey = builder.AddParameter("storage-secret-key", secret: true)
    .WithDescription("S3 secret key; also the MinIO root password (at least 8 characters).");

// The stock postgres image has no PostGIS, which event and user locations need.
var database = builder.AddPostgres("postgres")
    .WithImage("postgis/postgis", "17-3.5")
    .WithDataVolume()
    .AddDatabase(KinderResources.Database);

var redis = builder.AddRedis(KinderResources.Redis)
    .WithDataVolume();

var kafka = builder.AddKafka(KinderResources.Kafka)
    .WithDataVolume()
    .WithKafkaUI();

// Local stand-ins for S3 and SMTP. MinIO left Docker Hub in 2026; quay.io keeps its last community release.
var storage = builder.AddContainer(KinderResources.Storage, "quay.io/minio/minio", "RELEASE.2025-09-07T16-13-09Z")
    .WithArgs("server", "/data", "--console-address", ":9001")
    .WithEnvironment("MINIO_ROOT_USER", storageAccessKey)
    .WithEnvironment("MINIO_ROOT_PASSWORD", storageSecretKey)
    .WithHttpEndpoint(targetPort: 9000)
    .WithHttpEndpoint(targetPort: 9001, name: "console")
    .WithVolume("kinder-storage-data", "/data")
    .WithHttpHealthCheck("/minio/health/live", endpointName: "http");

var smtp = builder.AddContainer(KinderResources.Smtp, "axllent/mailpit", "v1.31")
    .WithEndpoint(targetPort: 1025, name: "smtp")
    .WithHttpEndpoint(targetPort: 8025)
    .WithHttpHealthCheck("/readyz", endpointName: "http");

// `Kinder.Workers migrate` applies the EF Core migrations and exits 0; no service starts before it has.
var migrator = builder.AddProject<Projects.Kinder_Workers>(KinderResources.Migrator, launchProfileName: null)
    .WithArgs("migrate")
    .WithReference(database).WaitFor(database);

var api = AddService<Projects.Kinder_Api>(KinderResources.Api)
    .WithExternalHttpEndpoints()
    .WithEnvironment("Jwt__SigningKey", jwtSigningKey)
    .WithReference(database).WaitFor(database)
    .WithReference(redis).WaitFor(redis)
    .WithReference(kafka).WaitFor(kafka)
    .WithStorage(storage, storageAccessKey, storageSecretKey)
    .WithSmtp(smtp)
    .WaitForCompletion(migrator);
// Links in emails (verify, reset) point at the Api's own address.
api.WithEnvironment("App__PublicUrl", api.GetEndpoint("http"));

// Two instances behind Aspire's proxy show the scale-out path: the Redis backplane delivers hub messages to
// users connected to the other instance. The proxy balances connections, not sessions, so an instance answers a
// negotiate that came through it with a redirect to its own port, where the client then connects.
AddService<Projects.Kinder_Realtime>(KinderResources.Realtime)
    .WithReplicas(2)
    .WithExternalHttpEndpoints()
    .WithEnvironment("Realtime__RedirectNegotiateToInstance", "true")
    .WithEnvironment("Jwt__SigningKey", jwtSigningKey)
    .WithReference(database).WaitFor(database)
    .WithReference(redis).WaitFor(redis)
    .WithReference(kafka).WaitFor(kafka)
    .WaitForCompletion(migrator);

AddService<Projects.Kinder_Workers>(KinderResources.Workers)
    .WithReference(database).WaitFor(database)
    .WithReference(redis).WaitFor(redis)
    .WithReference(kafka).WaitFor(kafka)
    .WithStorage(storage, storageAccessKey, storageSecretKey)
    .WithSmtp(smtp)
    .WaitForCompletion(migrator);

builder.Build().Run();

// Services run without a launch profile: the AppHost owns their ports (so none clashes with the fixed ports of
// the local runner, and each replica gets its own) and their environment name.
IResourceBuilder<ProjectResource> AddService<TProject>(string name) where TProject : IProjectMetadata, new() =>
    builder.AddProject<TProject>(name, launchProfileName: null)
        .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
        .WithHttpEndpoint()
        .WithHttpHealthCheck("/health");
