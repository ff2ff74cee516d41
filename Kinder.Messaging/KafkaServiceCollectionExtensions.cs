using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Kinder.Messaging;

public static class KafkaServiceCollectionExtensions
{
    /// <summary>
    /// The producer, the health check and the checks on <see cref="KafkaOptions"/>. Hosts call
    /// <c>AddKafkaClient()</c> (ServiceDefaults), which also binds configuration; this is the part it shares with
    /// <see cref="AddKafkaConsumer{THandler}"/>.
    /// </summary>
    public static IServiceCollection AddKafkaMessaging(this IServiceCollection services)
    {
        if (services.Any(service => service.ServiceType == typeof(KafkaProducer))) return services;

        services.AddOptions<KafkaOptions>()
            .Validate(options => options.Consumer.MaxAttempts >= 1, "Kafka:Consumer:MaxAttempts must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<KafkaProducer>();
        services.AddSingleton<IKafkaProducer>(provider => provider.GetRequiredService<KafkaProducer>());
        services.AddSingleton<KafkaHealthCheck>();
        return services;
    }

    /// <summary>
    /// Runs a consumer group reading <paramref name="topics"/> and handing each record to <typeparamref name="THandler"/>,
    /// resolved from a new scope per attempt. Call once per group; a process may run several.
    /// </summary>
    public static IServiceCollection AddKafkaConsumer<THandler>(this IServiceCollection services, string groupId, params string[] topics)
        where THandler : class, IKafkaRecordHandler
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        if (topics.Length == 0 || topics.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("A consumer group needs at least one topic, and no blank names.", nameof(topics));

        services.AddKafkaMessaging();
        services.TryAddScoped<THandler>();
        var registration = new KafkaConsumerRegistration(groupId, [.. topics], typeof(THandler));
        // Not AddHostedService: it keeps one service per type, and each group is its own service.
        services.AddSingleton<IHostedService>(provider => ActivatorUtilities.CreateInstance<KafkaConsumerService>(provider, registration));
        return services;
    }

    /// <summary>
    /// Runs a consumer group reading <paramref name="topics"/> and handing each record to the
    /// <see cref="IRecordHandler{TRecord}"/> <paramref name="handlers"/> names for its type, resolved from a new scope
    /// per attempt. The handlers are registered as scoped services.
    /// </summary>
    public static IServiceCollection AddKafkaConsumer(this IServiceCollection services, string groupId,
        IReadOnlyList<string> topics, Action<RecordHandlers> handlers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        if (topics.Count == 0 || topics.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("A consumer group needs at least one topic, and no blank names.", nameof(topics));

        var records = services.AddRecordHandlers(handlers);
        services.AddKafkaMessaging();
        var registration = new KafkaConsumerRegistration(groupId, [.. topics], typeof(RecordDispatcher), Records: records);
        services.AddSingleton<IHostedService>(provider => ActivatorUtilities.CreateInstance<KafkaConsumerService>(provider, registration));
        return services;
    }

    /// <summary>Registers the handlers <paramref name="configure"/> names as scoped services and returns the table,
    /// for consumers that dispatch by themselves (a batch handler that groups records first).</summary>
    public static RecordHandlers AddRecordHandlers(this IServiceCollection services, Action<RecordHandlers> configure)
    {
        var records = new RecordHandlers();
        configure(records);
        foreach (var handler in records.HandlerTypes)
            services.TryAddScoped(handler);
        return records;
    }

    /// <summary>
    /// Like <see cref="AddKafkaConsumer{THandler}"/>, but hands <typeparamref name="THandler"/> up to
    /// <paramref name="maxBatchSize"/> already-fetched records at once (<see cref="IKafkaBatchHandler"/>); a batch that
    /// fails is retried one record at a time with the usual retries and dead-lettering. With <paramref name="maxBatchWait"/>
    /// a batch waits up to that long for more records after its first (for consumers whose work is not urgent: fewer,
    /// bigger batches cost less than one handler call per record).
    /// </summary>
    public static IServiceCollection AddKafkaBatchConsumer<THandler>(this IServiceCollection services, string groupId,
        int maxBatchSize, IReadOnlyList<string> topics, TimeSpan maxBatchWait = default)
        where THandler : class, IKafkaBatchHandler
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchWait, TimeSpan.Zero);
        if (topics.Count == 0 || topics.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("A consumer group needs at least one topic, and no blank names.", nameof(topics));

        services.AddKafkaMessaging();
        services.TryAddScoped<THandler>();
        var registration = new KafkaConsumerRegistration(groupId, [.. topics], typeof(THandler), maxBatchSize,
            MaxBatchWait: maxBatchWait);
        services.AddSingleton<IHostedService>(provider => ActivatorUtilities.CreateInstance<KafkaConsumerService>(provider, registration));
        return services;
    }

    /// <summary>
    /// Like <see cref="AddKafkaBatchConsumer{THandler}"/>, but every process reads every record of
    /// <paramref name="topics"/> produced after it started, instead of a group sharing them out: for delivery to what
    /// only this process holds (its socket connections). Nothing is committed; a process that restarts starts again
    /// at the end. <paramref name="start"/> completes once the partitions are assigned; <paramref name="name"/> names
    /// it in logs, traces and dead letters.
    /// </summary>
    public static IServiceCollection AddKafkaEveryInstanceConsumer<THandler>(this IServiceCollection services, string name,
        int maxBatchSize, KafkaConsumerStart start, IReadOnlyList<string> topics)
        where THandler : class, IKafkaBatchHandler
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentNullException.ThrowIfNull(start);
        if (topics.Count == 0 || topics.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("A consumer needs at least one topic, and no blank names.", nameof(topics));

        services.AddKafkaMessaging();
        services.TryAddScoped<THandler>();
        var registration = new KafkaConsumerRegistration(name, [.. topics], typeof(THandler), maxBatchSize,
            EveryInstance: start);
        services.AddSingleton<IHostedService>(provider => ActivatorUtilities.CreateInstance<KafkaConsumerService>(provider, registration));
        return services;
    }
}
