using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core.Identity;
using Kinder.Core.Moderation;
using Kinder.Core.Notifications;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;
using Kinder.Tests.Moderation;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Notifications;

/// <summary>An admin broadcast through the Api and Workers: one notification per user of its audience, once.</summary>
public sealed class BroadcastTests(NotificationsStack stack) : IClassFixture<NotificationsStack>
{
    private const int Audience = 10_000;

    [Fact]
    public async Task A_broadcast_to_10000_users_creates_10000_notifications_once()
    {
        // The audience is a city of its own, so the run's other users are not in it.
        var city = $"Broadcastville {Guid.NewGuid():N}";
        await using (var db = stack.Db())
        {
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.Users.AddRange(Enumerable.Range(0, Audience).Select(i => new User
            {
                Email = $"broadcast-{Guid.NewGuid():N}@test.invalid", DisplayName = $"Listener {i}", City = city,
                EmailVerified = true,
            }));
            await db.SaveChangesAsync();
        }
        var (_, admin) = await stack.Api.CreateStaffAsync(KinderRoles.Admin);

        var response = await admin.PostAsJsonAsync("/api/v1/admin/broadcasts",
            new { title = "Kinder turns one", body = "Thank you for meeting up.", audience = new { city } });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var broadcastId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        await NotificationPipelineTests.UntilAsync(() => CountAsync(broadcastId), count => count >= Audience,
            "every listener is notified", seconds: 180);

        // Delivered again (a redelivery after a crash): nobody is notified twice.
        await using (var db = stack.Db())
        {
            var stored = await db.Broadcasts.AsNoTracking().SingleAsync(b => b.Id == broadcastId);
            await stack.ProduceAsync<BroadcastRequestedIntegrationEvent>(Topics.Moderation, broadcastId.ToString(),
                KafkaEnvelope.Create(new BroadcastRequestedIntegrationEvent(stored.Id, stored.Title, stored.Body, stored.City,
                    stored.InterestIds, stored.CreatedAt)));
        }
        var marker = await stack.Api.CreateUserAsync(u => u.City = city);
        await stack.ProduceAsync<BroadcastRequestedIntegrationEvent>(Topics.Moderation, broadcastId.ToString(),
            KafkaEnvelope.Create(new BroadcastRequestedIntegrationEvent(broadcastId, "Kinder turns one", "Thank you for meeting up.",
                city, [], DateTimeOffset.UtcNow)));
        // The second redelivery reaches the user who joined since: once it is handled, the first has been too.
        await NotificationPipelineTests.UntilAsync(() => CountAsync(broadcastId), count => count >= Audience + 1,
            "the redelivery is handled");
        Assert.Equal(Audience + 1, await CountAsync(broadcastId));
        await using (var db = stack.Db())
        {
            Assert.Equal(1, await db.Notifications.CountAsync(n => n.UserId == marker.Id && n.Type == NotificationTypes.Broadcast));
        }
    }

    private async Task<int> CountAsync(Guid broadcastId)
    {
        await using var db = stack.Db();
        var cause = $"broadcast:{broadcastId}";
        return await db.Notifications.CountAsync(n => n.CauseKey == cause);
    }
}
