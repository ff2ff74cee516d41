using System.Net;
using System.Net.Http.Json;
using Kinder.Core.Email;
using Kinder.Core.Friends;
using Kinder.Core.Notifications;
using Kinder.Messaging;
using Kinder.Tests.Chat;
using Kinder.Tests.Infrastructure;
using Kinder.Tests.Realtime;
using Kinder.Workers.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Notifications;

/// <summary>
/// The daily digest: a job per user who chose it, due at 08:00 in their zone; at due time (Workers' test clock) one
/// mail (composed by Workers' email consumer from the record) lists the unread notifications since the last digest, not the
/// read ones, once a period.
/// </summary>
public sealed class DigestTests(NotificationsStack stack) : IClassFixture<NotificationsStack>
{
    [Fact]
    public async Task A_daily_digest_lists_the_unread_notifications_and_is_mailed_once()
    {
        stack.Clock.Reset();
        var (user, client) = await stack.Api.CreateChatUserAsync("Dana Digest");
        var settings = await client.PutAsJsonAsync("/api/v1/notifications/settings", new { digest = "daily" });
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        var due = await DueAsync(user.Id);
        Assert.Equal(Digests.NextAt(new NotificationSettings { UserId = user.Id, Digest = DigestFrequencies.Daily }, DateTimeOffset.UtcNow), due);

        foreach (var name in new[] { "Ann", "Ben", "Cy" })
        {
            var requester = await stack.Api.CreateUserAsync(u => u.DisplayName = name);
            await stack.ProduceAsync<FriendRequestedIntegrationEvent>(Topics.Social, user.Id.ToString(),
                KafkaEnvelope.Create(new FriendRequestedIntegrationEvent(Guid.NewGuid(), requester.Id, user.Id, DateTimeOffset.UtcNow)));
        }
        var rows = await NotificationPipelineTests.UntilAsync(() => NotificationsOfAsync(user.Id), list => list.Count == 3,
            "the three requests are in the feed");
        var ben = rows.Single(row => row.Body.StartsWith("Ben", StringComparison.Ordinal));
        (await client.PutAsync($"/api/v1/notifications/{ben.Id}/read", null)).EnsureSuccessStatusCode();

        stack.Clock.Set(due + TimeSpan.FromMinutes(1));
        // The mail as Workers' email consumer composes it from the record (the email tests read sent mail from a sink).
        var record = Assert.Single(await DigestRecordsAsync(user.Email, 1, TimeSpan.FromSeconds(60)));
        using var mail = stack.Workers.Services.GetRequiredService<EmailComposer>()
            .Compose(record.Deserialize<EmailRequestedIntegrationEvent>(), Guid.NewGuid());

        Assert.Equal("Your daily Kinder digest: 2 unread", mail.Subject);
        Assert.Contains("Friend request: Ann wants to be friends.", mail.TextBody);
        Assert.Contains("Friend request: Cy wants to be friends.", mail.TextBody);
        Assert.DoesNotContain("Ben", mail.TextBody);
        Assert.Contains("<li style=\"margin:0 0 8px;\">Friend request: Ann wants to be friends.</li>", mail.HtmlBody);
        // The job moved to the next day; nothing new since, so the next period sends nothing.
        await NotificationPipelineTests.UntilAsync(() => DueAsync(user.Id), next => next == due.AddDays(1), "the job moved a day on");
        stack.Clock.Set(due.AddDays(1) + TimeSpan.FromMinutes(1));
        await NotificationPipelineTests.UntilAsync(() => DueAsync(user.Id), next => next == due.AddDays(2), "the next period ran");
        await Task.Delay(TimeSpan.FromSeconds(2));
        // Once on the email topic (the outbox rows are pruned by Workers' moved clock).
        Assert.Single(await DigestRecordsAsync(user.Email, 3, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Turning_the_digest_off_deletes_its_job_and_weekly_ones_fall_on_a_monday()
    {
        var (user, client) = await stack.Api.CreateChatUserAsync("Wes Weekly");
        (await client.PutAsJsonAsync("/api/v1/notifications/settings", new
        {
            digest = "weekly", quietHours = new { start = "22:00", end = "07:00", timeZone = "Europe/Berlin" },
        })).EnsureSuccessStatusCode();
        var due = await DueAsync(user.Id);
        var local = TimeZoneInfo.ConvertTime(due, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        Assert.Equal((DayOfWeek.Monday, 8, 0), (local.DayOfWeek, local.Hour, local.Minute));

        (await client.PutAsJsonAsync("/api/v1/notifications/settings", new { digest = "off" })).EnsureSuccessStatusCode();
        await using var db = stack.Db();
        Assert.False(await db.ScheduledJobs.AnyAsync(job => job.Key == Digests.JobKey(user.Id)));
    }

    /// <summary>The user's digest requests on the email topic, waiting up to <paramref name="timeout"/> for <paramref name="count"/> records.</summary>
    private Task<List<ConsumedRecord>> DigestRecordsAsync(string email, int count, TimeSpan timeout) => Task.Run(() =>
        stack.ConsumeWithKey(Topics.Email, email, count, timeout)
            .Where(record => record.Deserialize<EmailRequestedIntegrationEvent>().Template == EmailTemplates.Digest)
            .ToList());

    private async Task<DateTimeOffset> DueAsync(Guid userId)
    {
        await using var db = stack.Db();
        return await db.ScheduledJobs.Where(job => job.Key == Digests.JobKey(userId)).Select(job => job.DueAt).SingleAsync();
    }

    private async Task<List<Notification>> NotificationsOfAsync(Guid userId)
    {
        await using var db = stack.Db();
        return await db.Notifications.AsNoTracking().Where(n => n.UserId == userId).ToListAsync();
    }
}
