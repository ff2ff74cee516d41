using Kinder.Core.Events;
using Kinder.Core.PersonalData;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Events;

/// <summary>The events section of a user's personal data: export, and erasure that keeps every event consistent.</summary>
public sealed class EventsPersonalDataTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Erasing_someone_going_frees_their_place_for_the_first_in_line()
    {
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent(capacity: 2));
        var leaving = await api.CreateUserAsync();
        var waiting = await api.CreateUserAsync();
        await api.CreateClientFor(leaving).AttendAsync(eventId, "going");
        await api.CreateClientFor(waiting).AttendAsync(eventId, "going");

        await EraseAsync(leaving.Id);

        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        Assert.False(await db.EventAttendances.AnyAsync(a => a.UserId == leaving.Id));
        Assert.Equal(AttendanceStatus.Going,
            (await db.EventAttendances.SingleAsync(a => a.EventId == eventId && a.UserId == waiting.Id)).Status);
        Assert.Equal(2, (await db.Events.SingleAsync(e => e.Id == eventId)).GoingCount);
    }

    [Fact]
    public async Task Erasing_an_organizer_cancels_their_events_and_tells_the_attendees()
    {
        var (organizer, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var guest = await api.CreateUserAsync();
        await api.CreateClientFor(guest).AttendAsync(eventId, "going");

        await EraseAsync(organizer.Id);

        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        Assert.Equal(EventStatus.Cancelled, (await db.Events.SingleAsync(e => e.Id == eventId)).Status);
        var message = await db.OutboxMessages.SingleAsync(m => m.Key == eventId.ToString() && m.Type == "EventCancelled");
        Assert.Contains(guest.Id.ToString(), message.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_export_lists_organized_events_and_answers()
    {
        var (organizer, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());

        using var scope = api.Services.CreateScope();
        var source = scope.ServiceProvider.GetServices<IPersonalDataSource>().OfType<EventsPersonalDataSource>().Single();
        var export = System.Text.Json.JsonSerializer.SerializeToElement(await source.ExportAsync(organizer.Id, default),
            System.Text.Json.JsonSerializerOptions.Web);

        Assert.Equal(eventId, export.GetProperty("organized")[0].GetProperty("id").GetGuid());
        Assert.Equal(eventId, export.GetProperty("attendance")[0].GetProperty("eventId").GetGuid());
    }

    private async Task EraseAsync(Guid userId)
    {
        using var scope = api.Services.CreateScope();
        var source = scope.ServiceProvider.GetServices<IPersonalDataSource>().OfType<EventsPersonalDataSource>().Single();
        await source.EraseAsync(userId, default);
    }
}
