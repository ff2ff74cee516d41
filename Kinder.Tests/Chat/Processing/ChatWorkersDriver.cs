using Kinder.Core.Chat;
using Kinder.Core.Events;
using Kinder.Core.Identity;
using Kinder.Messaging;
using Kinder.Tests.Events;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace Kinder.Tests.Chat.Processing;

/// <summary>Arranges chat data straight in a Workers test database and submits messages as the Api would.</summary>
internal static class ChatWorkersDriver
{
    public static Task<User> UserAsync(this ChatWorkersFactory workers, string name = "Ana") =>
        TestUsers.CreateAsync(workers.DatabaseConnectionString, user => user.DisplayName = name);

    public static Task<List<User>> UsersAsync(this ChatWorkersFactory workers, int count) =>
        TestUsers.CreateManyAsync(workers.DatabaseConnectionString, count,
            (user, index) => user.DisplayName = $"User {index + 1}");

    /// <summary>A group conversation with these members (the first one owns it).</summary>
    public static async Task<Conversation> GroupAsync(this ChatWorkersFactory workers, params User[] members)
    {
        var conversation = new Conversation { Type = ConversationType.Group, Title = "Group", OwnerId = members[0].Id };
        await using var db = TestDatabases.CreateContext(workers.DatabaseConnectionString);
        db.Conversations.Add(conversation);
        db.ConversationMembers.AddRange(members.Select((m, i) => new ConversationMember
        {
            ConversationId = conversation.Id,
            UserId = m.Id,
            Role = i == 0 ? MemberRole.Owner : MemberRole.Member,
        }));
        await db.SaveChangesAsync();
        return conversation;
    }

    public static MessageSubmitted Text(Guid conversationId, Guid? senderId, string body, string? clientMessageId = null)
    {
        var id = clientMessageId ?? Guid.NewGuid().ToString("N");
        return new MessageSubmitted(MessageIds.For(conversationId, senderId, id), conversationId, senderId, id,
            MessageType.Text, body, [], null, DateTimeOffset.UtcNow);
    }

    public static Task SubmitAsync(this ChatWorkersFactory workers, MessageSubmitted message) =>
        workers.Producer.ProduceAsync(Topics.MessagesIncoming, message.ConversationId.ToString(),
            KafkaEnvelope.Create(message));

    /// <summary>An event (no discussion yet, as events made before chat) with the organizer going.</summary>
    public static async Task<Event> EventAsync(this ChatWorkersFactory workers, User organizer, params User[] going)
    {
        var @event = new Event
        {
            OrganizerId = organizer.Id,
            Title = "Sunset hike",
            StartsAt = DateTimeOffset.UtcNow.AddDays(3),
            EndsAt = DateTimeOffset.UtcNow.AddDays(3).AddHours(2),
            Location = new Point(2.17, 41.38) { SRID = 4326 },
            CategoryId = EventsDriver.HikingCategory,
            GoingCount = 1 + going.Length,
        };
        await using var db = TestDatabases.CreateContext(workers.DatabaseConnectionString);
        db.Events.Add(@event);
        db.EventAttendances.AddRange(new[] { organizer }.Concat(going).Select((u, i) => new EventAttendance
        {
            EventId = @event.Id,
            UserId = u.Id,
            Status = AttendanceStatus.Going,
            Sequence = i + 1,
        }));
        await db.SaveChangesAsync();
        return @event;
    }

    /// <summary>An integration event on its topic, as the outbox relay publishes it; returns its envelope.</summary>
    public static async Task<KafkaEnvelope> PublishAsync<T>(this ChatWorkersFactory workers, string topic, Guid eventId,
        T integrationEvent, KafkaEnvelope? again = null) where T : class, IRecord
    {
        var envelope = again ?? KafkaEnvelope.Create(T.RecordType, integrationEvent);
        await workers.Producer.ProduceAsync(topic, eventId.ToString(), envelope);
        return envelope;
    }

    public static async Task<T> QueryAsync<T>(this ChatWorkersFactory workers, Func<Core.Data.KinderDbContext, Task<T>> query)
    {
        await using var db = TestDatabases.CreateContext(workers.DatabaseConnectionString);
        return await query(db);
    }

    public static Task<List<Message>> MessagesAsync(this ChatWorkersFactory workers, Guid conversationId) =>
        workers.QueryAsync(db => db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId)
            .OrderBy(m => m.Seq).ToListAsync());

    public static Task<List<ConversationMember>> MembersAsync(this ChatWorkersFactory workers, Guid conversationId) =>
        workers.QueryAsync(db => db.ConversationMembers.AsNoTracking().Where(m => m.ConversationId == conversationId)
            .ToListAsync());
}
