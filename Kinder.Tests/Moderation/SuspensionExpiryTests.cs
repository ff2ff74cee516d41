using System.Net;
using System.Net.Http.Json;
using Kinder.Core.Events;
using Kinder.Core.Moderation;
using Kinder.Tests.Events;
using Kinder.Tests.Infrastructure;
using Kinder.Workers.Moderation;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Moderation;

/// <summary>
/// A suspension that runs out by itself (no admin reinstating) shows the organizer's hidden events again: Workers'
/// sweeper, on a clock the test moves past the end; a ban keeps them hidden.
/// </summary>
public sealed class SuspensionExpiryTests(AdminWorkersStack stack) : IClassFixture<AdminWorkersStack>
{
    [Fact]
    public async Task When_a_suspension_ends_the_organizers_hidden_events_are_shown_again_once()
    {
        var api = stack.Api;
        var (organizer, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var (banned, _, bannedEventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var (_, admin) = await api.CreateStaffAsync("admin");
        var viewer = api.CreateClientFor(await api.CreateUserAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/admin/users/{organizer.Id}/suspend",
            new { until = DateTimeOffset.UtcNow.AddDays(2), reason = "Cool off" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/admin/users/{banned.Id}/ban",
            new { reason = "Scam" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync($"/api/v1/events/{eventId}")).StatusCode);
        var sweeper = stack.Periodic<ExpiredSuspensionSweeper>();

        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None)); // still suspended: nothing
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync($"/api/v1/events/{eventId}")).StatusCode);

        stack.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(1, await sweeper.SweepAsync(CancellationToken.None));
        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None)); // once

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/events/{eventId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync($"/api/v1/events/{bannedEventId}")).StatusCode);
        Assert.Equal(1, await api.AuditCountAsync(AuditActions.SuspensionExpired, organizer.Id));
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        Assert.Equal(EventStatus.Published, (await db.Events.SingleAsync(e => e.Id == eventId)).Status);
        Assert.Equal(EventStatus.Hidden, (await db.Events.SingleAsync(e => e.Id == bannedEventId)).Status);
    }
}
