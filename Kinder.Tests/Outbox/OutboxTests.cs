using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Kinder.Core.Diagnostics;
using Kinder.Messaging;
using Kinder.Core.Outbox;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Outbox;

/// <summary>The transactional outbox: an event exists exactly when its change committed, and Workers relay it.</summary>
public sealed class OutboxTests(WorkersFactory workers) : IClassFixture<WorkersFactory>
{
    [Fact]
    public async Task An_event_written_with_a_change_that_rolls_back_is_never_stored()
    {
        await using var db = TestDatabases.CreateContext(workers.DatabaseConnectionString);
        var probe = new Probe { Message = "rolled back" };

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            db.Probes.Add(probe);
            db.AddIntegrationEvent(Topics.SystemProbes, probe.Id.ToString(),
                new ProbeRecordedIntegrationEvent(probe.Id, probe.Message, probe.CreatedAt));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        db.ChangeTracker.Clear();
        Assert.False(await db.Probes.AnyAsync(p => p.Id == probe.Id));
        Assert.False(await db.OutboxMessages.AnyAsync(m => m.Key == probe.Id.ToString()));
    }

    [Fact]
    public async Task The_relay_publishes_committed_events_in_order_with_their_trace_and_marks_them_published()
    {
        _ = workers.Server; // starts Workers and its relay
        using var requestSpan = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        var key = Guid.NewGuid().ToString();
        var ids = new List<Guid>();
        await using (var db = TestDatabases.CreateContext(workers.DatabaseConnectionString))
        {
            for (var i = 0; i < 20; i++)
            {
                var probe = new Probe { Message = $"ordered {i}" };
                db.Probes.Add(probe);
                ids.Add(db.AddIntegrationEvent(Topics.SystemProbes, key,
                    new ProbeRecordedIntegrationEvent(probe.Id, probe.Message, probe.CreatedAt)).Id);
                await db.SaveChangesAsync();
            }
        }
        requestSpan.Stop();

        var records = ConsumeWithKey(Topics.SystemProbes, key, ids.Count, TimeSpan.FromSeconds(20));

        Assert.Equal(ids, records.Select(record => Guid.Parse(Header(record, KafkaHeaderNames.MessageId))));
        foreach (var record in records)
        {
            Assert.Equal("ProbeRecorded", Header(record, KafkaHeaderNames.MessageType));
            Assert.Contains(requestSpan.TraceId.ToHexString(), Header(record, KafkaHeaderNames.TraceParent));
            var payload = new KafkaEnvelope(Guid.Empty, "", default, record.Message.Value).Deserialize<ProbeRecordedIntegrationEvent>();
            Assert.StartsWith("ordered ", payload.Message);
        }
        await Eventually(async () =>
        {
            await using var db = TestDatabases.CreateContext(workers.DatabaseConnectionString);
            return await db.OutboxMessages.CountAsync(m => m.Key == key && m.PublishedAt != null) == ids.Count;
        });
    }

    private static List<ConsumeResult<string, byte[]>> ConsumeWithKey(string topic, string key, int count, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = TestKafka.BootstrapServers,
            GroupId = "outbox-test-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var found = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + timeout;
        while (found.Count < count && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message?.Key == key)
            {
                found.Add(result);
            }
        }
        consumer.Close();
        Assert.True(found.Count == count, $"Expected {count} records with key {key}, got {found.Count}");
        return found;
    }

    private static string Header(ConsumeResult<string, byte[]> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : "";

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Condition not met within 10 s");
            await Task.Delay(100);
        }
    }
}
