using Kinder.Core.Chat;
using Kinder.Core.Friends;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;
using Kinder.Tests.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Notifications;

/// <summary>
/// A burst of 500 notification causes with Workers stopped in the middle and started again: none lost, none stored
/// twice, one push request per notification. (The host is shut down, not SIGKILLed: the in-process test hosts cannot
/// be killed; what makes it safe is the same — offsets stored after the transaction, rows once per cause. A real
/// SIGKILL of a Workers process is <see cref="WorkersCrashTests"/>.)
/// </summary>
public sealed class NotificationBurstTests(NotificationsStack stack) : IClassFixture<NotificationsStack>
{
    private const int Burst = 500;

    [Fact]
    public async Task A_burst_of_500_across_a_workers_restart_loses_none_and_duplicates_none()
    {
        var requester = await stack.Api.CreateUserAsync(u => u.DisplayName = "Burst");
        var user = await stack.Api.CreateUserAsync();
        for (var i = 0; i < Burst; i++)
        {
            await stack.ProduceAsync<FriendRequestedIntegrationEvent>(Topics.Social, user.Id.ToString(),
                KafkaEnvelope.Create(new FriendRequestedIntegrationEvent(Guid.NewGuid(), requester.Id, user.Id, DateTimeOffset.UtcNow)));
        }
        await NotificationPipelineTests.UntilAsync(CountAsync, count => count > 0, "the burst is being handled");

        await stack.RestartWorkersAsync();

        await NotificationPipelineTests.UntilAsync(CountAsync, count => count >= Burst, "all 500 are stored", seconds: 120);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(Burst, await CountAsync());
        // The push topic is at least once (the outbox relay may publish a row again after the restart): read until every
        // notification's request is seen, however many repeats come first, and require every one.
        var notified = new HashSet<Guid?>();
        stack.ConsumeWithKey(Topics.NotificationsPush, user.Id.ToString(), found =>
        {
            // At most the last record is new since the previous call (a set: seeing it again changes nothing).
            if (found.Count > 0)
                notified.Add(found[^1].Deserialize<PushRequested>().NotificationId);
            return notified.Count >= Burst;
        }, TimeSpan.FromSeconds(60));
        Assert.Equal(Burst, notified.Count);

        async Task<int> CountAsync()
        {
            await using var db = stack.Db();
            return await db.Notifications.CountAsync(n => n.UserId == user.Id);
        }
    }
}
