using Kinder.AppHost.Infrastructure.HealthChecks;
using Kinder.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.AppHost.Infrastructure.Local;

/// <summary>
/// The infrastructure as local processes, for machines without a container runtime: Debian's PostgreSQL + PostGIS and
/// redis-server, librdkafka's mock broker (in memory only), smtp4dev and s3rver — under the same resource names, with
/// the same connection strings, as the containers. Data lives under <c>.kinder/</c> and survives restarts (but for
/// the broker's records). A program that is not installed fails its resource with what to install.
/// </summary>
internal static class LocalInfrastructure
{
    public static KinderInfrastructure Add(IDistributedApplicationBuilder builder, KinderSettings settings)
    {
        var ports = settings.Ports;
        var database = LocalPostgres.Add(builder, settings);

        var redisCommand = LocalCommand.Find("redis-server", "apt-get install redis-server (./kinder run installs it)", "/usr/bin");
        var redisDirectory = StateDirectory(settings, "redis");
        var redis = redisCommand.FailsWhenMissing(
                builder.AddResource(new LocalServerResource(KinderResources.Redis, redisCommand.Program, redisDirectory)))
            .WithArgs(redisCommand.With(
                "--bind", "127.0.0.1", "-::1", "--port", Invariant(ports.Redis), "--dir", redisDirectory,
                "--save", "3600 1 300 100 60 10000", "--appendonly", "no").ToArray())
            .WithEndpoint(port: ports.Redis, targetPort: ports.Redis, name: EndpointNames.Tcp, isProxied: false)
            .WithIconName("Database");
        redis.WithHealthCheck(AddRedisHealthCheck(builder, redis.Resource));

        var kafka = AddKafkaMock(builder, settings);
        var storage = AddS3rver(builder, settings);
        var mail = MailRelay.Of(AddSmtp4dev(builder, settings));

        return new KinderInfrastructure(InfrastructureMode.Local, database, ApplicationDatabaseRole.Add(builder), redis, kafka, storage, mail);
    }

    /// <summary>
    /// librdkafka's mock cluster (tools/Kinder.KafkaMock, built with the AppHost, in the librdkafka build that answers a
    /// held fetch when a record arrives) on a fixed bootstrap port, deleting
    /// records older than <c>Kinder:KafkaRetentionSeconds</c>, and chat-path records their groups have committed once
    /// <c>Kinder:KafkaConsumedRetentionSeconds</c> old.
    /// </summary>
    private static IResourceBuilder<LocalServerResource> AddKafkaMock(IDistributedApplicationBuilder builder, KinderSettings settings)
    {
        // The AppHost's own build configuration (…/bin/<Configuration>/net10.0/), which also built the mock.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(settings.RepositoryRoot, "tools", "Kinder.KafkaMock", "bin", configuration, "net10.0", "Kinder.KafkaMock.dll");
        // The mock's own librdkafka build, where scripts/lib/mock-librdkafka.sh writes it and Kinder.KafkaMock's
        // MockLibrary finds it (the nearest .kinder/librdkafka/ above the program).
        var library = Path.Combine(settings.RepositoryRoot, ".kinder", "librdkafka", "librdkafka.so");
        var command = !File.Exists(dll) ? LocalCommand.Missing($"{dll} is missing: build Kinder.AppHost, which builds it")
            : !File.Exists(library) ? LocalCommand.Missing($"{library} is missing: ./kinder run builds it (scripts/lib/mock-librdkafka.sh)")
            : new LocalCommand("dotnet", [dll]);
        var kafka = command.FailsWhenMissing(
                builder.AddResource(new LocalServerResource(KinderResources.Kafka, command.Program, settings.RepositoryRoot)))
            .WithArgs(command.With(
                "--port", Invariant(settings.Ports.Kafka), "--retention", Invariant(settings.KafkaRetentionSeconds),
                "--consumed-retention", Invariant(settings.KafkaConsumedRetentionSeconds < settings.KafkaRetentionSeconds
                    ? settings.KafkaConsumedRetentionSeconds
                    : 0)).ToArray())
            .WithEndpoint(port: settings.Ports.Kafka, targetPort: settings.Ports.Kafka, name: EndpointNames.Tcp, isProxied: false)
            .WithIconName("Mail");
        return kafka.WithHealthCheck(KafkaHealthCheck.Register(builder, kafka.Resource));
    }

    /// <summary>s3rver (npm, installed into .kinder/node by ./kinder run); its keys are its fixed development defaults.</summary>
    private static StorageResources AddS3rver(IDistributedApplicationBuilder builder, KinderSettings settings)
    {
        var nodeModules = settings.NodePackages;
        var script = Path.Combine(nodeModules, "node_modules", "s3rver", "bin", "s3rver.js");
        var node = LocalCommand.Find("node", "apt-get install nodejs npm (./kinder run installs it)", "/usr/bin", "/usr/local/bin");
        var command = !node.Found ? node
            : File.Exists(script) ? node with { Prefix = [script] }
            : LocalCommand.Missing($"{script} is missing: npm install --prefix {nodeModules} s3rver@3.7.1 (./kinder run installs it)");
        var directory = StateDirectory(settings, "s3");
        var storage = command.FailsWhenMissing(builder.AddExecutable(KinderResources.Storage, command.Program, directory))
            .WithArgs(command.With("--directory", directory, "--address", "localhost", "--port", Invariant(settings.Ports.Storage),
                "--no-vhost-buckets").ToArray())
            .WithHttpEndpoint(port: settings.Ports.Storage, targetPort: settings.Ports.Storage, name: EndpointNames.Http, isProxied: false)
            .WithIconName("Storage");
        AnswersHttpHealthCheck.WithAnswersHttpHealthCheck(storage, EndpointNames.Http);

        var accessKey = builder.AddParameter("storage-access-key", "S3RVER", secret: true);
        var secretKey = builder.AddParameter("storage-secret-key", "S3RVER", secret: true);
        return new StorageResources(storage, accessKey, secretKey);
    }

    /// <summary>smtp4dev (a local dotnet tool, dotnet-tools.json): every mail the services send, in a web inbox.</summary>
    private static IResourceBuilder<ExecutableResource> AddSmtp4dev(IDistributedApplicationBuilder builder, KinderSettings settings)
    {
        var directory = StateDirectory(settings, "mail");
        var smtp4dev = builder.AddExecutable(KinderResources.Smtp, "dotnet", settings.RepositoryRoot,
                "tool", "run", "smtp4dev", "--",
                $"--urls=http://localhost:{Invariant(settings.Ports.MailInbox)}", $"--smtpport={Invariant(settings.Ports.Smtp)}",
                "--imapport=0", "--pop3port=0", "--hostname=localhost", "--nousersettings", "--messagestokeep=1000",
                $"--db={Path.Combine(directory, "smtp4dev.db")}")
            .WithEndpoint(port: settings.Ports.Smtp, targetPort: settings.Ports.Smtp, name: EndpointNames.Smtp, isProxied: false)
            .WithHttpEndpoint(port: settings.Ports.MailInbox, targetPort: settings.Ports.MailInbox, name: EndpointNames.Http, isProxied: false)
            .WithIconName("MailInbox")
            .WithHttpHealthCheck("/", endpointName: EndpointNames.Http);
        return SmtpGreetingHealthCheck.WithSmtpGreetingHealthCheck(smtp4dev, EndpointNames.Smtp);
    }

    private static string AddRedisHealthCheck(IDistributedApplicationBuilder builder, LocalServerResource redis)
    {
        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(redis, async (_, cancellationToken) =>
            connectionString = await redis.ConnectionStringExpression.GetValueAsync(cancellationToken));
        var key = $"{redis.Name}_check";
        builder.Services.AddHealthChecks().AddRedis(
            _ => connectionString ?? throw new InvalidOperationException("The connection string is not known yet."), name: key);
        return key;
    }

    private static string StateDirectory(KinderSettings settings, string name)
    {
        var directory = Path.Combine(settings.StateDirectory, name);
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static string Invariant(int number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
