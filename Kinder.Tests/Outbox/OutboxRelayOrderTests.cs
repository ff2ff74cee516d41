using System.Text;
using Confluent.Kafka;
using Kinder.Core;
using Kinder.Messaging;
using Kinder.Messaging.Outbox;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kinder.Tests.Outbox;

/// <summary>
/// The relay keeps each key's order through failures, spreads retries out, and holds no database lock while it
/// waits for the broker.
/// </summary>
public sealed class OutboxRelayOrderTests(OutboxRelayOrderTests.SlowRetryWorkersFactory workers)
    : IClassFixture<OutboxRelayOrderTests.SlowRetryWorkersFactory>
{
    /// <summary>Workers whose failed rows wait a minute for their retry, so a test sees them as they failed.</summary>
    public sealed class SlowRetryWorkersFactory : WorkersFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Outbox:RetryDelay", "00:01:00");
        }
    }

    // Over librdkafka's message.max.bytes (1 MB): the producer refuses it every time, until the test shrinks it.
    private static readonly string TooLarge = $$"""{"message":"{{new string('x', 1_100_000)}}"}""";

    [Fact]
    public async Task A_row_that_fails_holds_back_the_later_rows_of_its_key_until_it_is_published()
    {
        _ = workers.Server; // starts the relay
        var (key, otherKey) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var first = Row(key, TooLarge);
        var second = Row(key, """{"message":"second"}""");
        var other = Row(otherKey, """{"message":"other key"}""");
        // One commit each: rows of one SaveChanges are inserted in key order, not the order they were added.
        foreach (var row in new[] { first, second, other })
        {
            await using var db = TestDatabases.CreateContext(workers.DatabaseConnectionString);
            db.OutboxMessages.Add(row);
            await db.SaveChangesAsync();
        }

        // The other key goes ahead; the failing row is tried and waits for its retry.
        await Eventually(async () => (await RowAsync(other.Id)).PublishedAt is not null
            && (await RowAsync(first.Id)).Attempts >= 1, "the other key is published and the failing row was tried");
        Assert.Null((await RowAsync(second.Id)).PublishedAt);

        // What was wrong with it passes (a broker back, here a payload it takes): both go, the first first.
        await using (var db = TestDatabases.CreateContext(workers.DatabaseConnectionString))
            await db.OutboxMessages.Where(m => m.Id == first.Id).ExecuteUpdateAsync(m => m
                .SetProperty(x => x.Payload, """{"message":"first"}""").SetProperty(x => x.NextAttemptAt, (DateTimeOffset?)null));
        await Eventually(async () => (await RowAsync(second.Id)).PublishedAt is not null, "the second row is published");

        var published = ReadKey(Topics.SystemProbes, key, [first.Id, second.Id]);
        // Never the second before the first, not even once ahead of a re-send.
        Assert.Equal([first.Id, second.Id], published);
        Assert.True((await RowAsync(first.Id)).PublishedAt <= (await RowAsync(second.Id)).PublishedAt);
    }

    [Fact]
    public async Task Rows_failing_together_are_retried_at_different_times()
    {
        _ = workers.Server;
        var rows = Enumerable.Range(0, 4).Select(_ => Row(Guid.NewGuid().ToString(), TooLarge)).ToList();
        await using (var db = TestDatabases.CreateContext(workers.DatabaseConnectionString))
        {
            db.OutboxMessages.AddRange(rows);
            await db.SaveChangesAsync();
        }

        List<OutboxMessage> failed = [];
        await Eventually(async () =>
        {
            failed = await Task.WhenAll(rows.Select(r => RowAsync(r.Id))).ContinueWith(t => t.Result.ToList());
            return failed.All(r => r.Attempts >= 1);
        }, "every row failed once");

        // Jitter: four rows failing in one pass do not all come back at the same instant.
        Assert.True(failed.Select(r => r.NextAttemptAt).Distinct().Count() > 1,
            $"retries at {string.Join(", ", failed.Select(r => r.NextAttemptAt?.ToString("O")))}");
        await using (var cleanup = TestDatabases.CreateContext(workers.DatabaseConnectionString))
            await cleanup.OutboxMessages.Where(m => rows.Select(r => r.Id).Contains(m.Id)).ExecuteDeleteAsync();
    }

    private static OutboxMessage Row(string key, string payload) => new()
    {
        Topic = Topics.SystemProbes,
        Key = key,
        Type = "ProbeRecorded",
        Payload = payload,
    };

    private async Task<OutboxMessage> RowAsync(Guid id)
    {
        await using var db = TestDatabases.CreateContext(workers.DatabaseConnectionString);
        return await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    /// <summary>The ids of the records with <paramref name="key"/>, in partition order, once all of <paramref name="ids"/> came.</summary>
    private static List<Guid> ReadKey(string topic, string key, IReadOnlyCollection<Guid> ids)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = TestKafka.BootstrapServers,
            GroupId = KafkaFixture.UniqueGroup("outbox-order"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var found = new List<Guid>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        // Read until both came and a little after, so a re-send of the second one is seen too.
        DateTime? quietUntil = null;
        while (DateTime.UtcNow < deadline && (quietUntil is null || DateTime.UtcNow < quietUntil))
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result?.Message?.Key == key && result.Message.Headers.TryGetLastBytes(KafkaHeaderNames.MessageId, out var id))
                found.Add(Guid.Parse(Encoding.UTF8.GetString(id)));
            if (quietUntil is null && ids.All(found.Contains))
                quietUntil = DateTime.UtcNow + TimeSpan.FromSeconds(1);
        }
        consumer.Close();
        Assert.True(ids.All(found.Contains), $"records with key {key}: {string.Join(", ", found)}");
        return found;
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(50);
        }
    }
}

/// <summary>The relay against a broker that does not answer: its publishes wait out the delivery timeout.</summary>
public sealed class OutboxRelayLockTests(OutboxRelayLockTests.KafkaDownWorkersFactory workers)
    : IClassFixture<OutboxRelayLockTests.KafkaDownWorkersFactory>
{
    [Fact]
    public async Task No_row_stays_locked_while_the_relay_waits_for_the_broker()
    {
        var row = new OutboxMessage { Topic = Topics.SystemProbes, Key = Guid.NewGuid().ToString(), Type = "ProbeRecorded",
            Payload = """{"message":"waiting"}""" };
        await using (var db = TestDatabases.CreateContext(workers.DatabaseConnectionString))
        {
            db.OutboxMessages.Add(row);
            await db.SaveChangesAsync();
        }
        _ = workers.Server; // starts the relay

        // Until the publish has failed once (a whole wait for the broker), the row is never held for long: a claim
        // locks it for one statement, not for the broker's round trip. Held = NOWAIT refused three times in a row.
        var heldInARow = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            heldInARow = await IsLockedAsync(row.Id) ? heldInARow + 1 : 0;
            Assert.True(heldInARow < 3, "the relay held the row's lock while waiting for the broker");
            await using (var db = TestDatabases.CreateContext(workers.DatabaseConnectionString))
                if (await db.OutboxMessages.AnyAsync(m => m.Id == row.Id && m.Attempts >= 1))
                    break;
            Assert.True(DateTime.UtcNow < deadline, "the relay never tried the row");
            await Task.Delay(100);
        }
    }

    private async Task<bool> IsLockedAsync(Guid id)
    {
        await using var connection = new NpgsqlConnection(workers.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("SELECT 1 FROM outbox_messages WHERE id = @id FOR UPDATE NOWAIT", connection, transaction);
        command.Parameters.AddWithValue("id", id);
        try
        {
            await command.ExecuteScalarAsync();
            return false;
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            return true;
        }
    }

    public sealed class KafkaDownWorkersFactory : WorkersFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting($"ConnectionStrings:{KinderResources.Kafka}", $"127.0.0.1:{LocalPorts.Reserve()}");
            // A short delivery timeout, so the relay's wait for the broker ends within the test (before the fix too).
            builder.UseSetting($"{KafkaOptions.ProducerConfigSection}:MessageTimeoutMs", "3000");
        }
    }
}
