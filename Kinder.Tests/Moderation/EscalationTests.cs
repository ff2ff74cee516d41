using System.Net;
using Kinder.Core;
using Kinder.Core.Moderation;
using Kinder.Tests.Events;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Moderation;

/// <summary>
/// Automatic escalation (<c>Moderation:EscalationThreshold</c>, 3 by default, upheld reports on distinct things of a
/// user within 30 days): the third upheld one suspends the user; a dismissed report does not count.
/// </summary>
public sealed class EscalationTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_third_upheld_report_in_the_window_suspends_the_user_and_a_dismissed_one_does_not_count()
    {
        var organizer = await api.CreateUserAsync();
        var organizerClient = api.CreateClientFor(organizer);
        var eventIds = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            eventIds.Add((await organizerClient.CreateEventAsync(EventsDriver.ValidEvent())).GetProperty("id").GetGuid());
        }
        var (_, moderator) = await api.CreateStaffAsync("moderator");
        var reporter = api.CreateClientFor(await api.CreateUserAsync());

        var dismissed = await moderator.ResolveAsync(await reporter.ReportAsync("event", eventIds[0]), "dismiss");
        await moderator.ResolveAsync(await reporter.ReportAsync("event", eventIds[1]), "warn");
        await moderator.ResolveAsync(await reporter.ReportAsync("event", eventIds[2]), "warn");

        // Two upheld and one dismissed: still in.
        Assert.Equal(HttpStatusCode.OK, (await organizerClient.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal(0, await api.AuditCountAsync(AuditActions.UserAutoSuspended, organizer.Id));

        await moderator.ResolveAsync(await reporter.ReportAsync("event", eventIds[3]), "warn");

        await (await organizerClient.GetAsync("/api/v1/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized,
            ErrorCodes.AccountSuspended);
        Assert.Equal(1, await api.AuditCountAsync(AuditActions.UserAutoSuspended, organizer.Id));
        var viewer = api.CreateClientFor(await api.CreateUserAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync($"/api/v1/events/{eventIds[0]}")).StatusCode);
        _ = dismissed;
    }
}
