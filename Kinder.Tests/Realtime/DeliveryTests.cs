using Kinder.Core.Chat;
using Kinder.Core.Events;
using Kinder.Messaging;
using Kinder.Core.Outbox;
using Kinder.Realtime.Hubs;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kinder.Tests.Realtime;

/// <summary>Records on <c>messages.outgoing</c> and <c>events.changes</c> become server events for their recipients.</summary>
public sealed class DeliveryTests(RealtimeFactory realtime) : IClassFixture<RealtimeFactory>
{
    [Fact]
    public async Task MessageCreated_reaches_every_device_of_every_recipient_as_message_new()
    {
        var (sender, recipient, outsider) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Direct, [sender, recipient]);
        await using var phone = await realtime.ConnectAsync(recipient);
        await using var laptop = await realtime.ConnectAsync(recipient);
        await using var senderConnection = await realtime.ConnectAsync(sender);
        await using var outsiderConnection = await realtime.ConnectAsync(outsider);
        var (phoneEvents, laptopEvents, senderEvents, outsiderEvents) = (new ServerEventLog(phone), new ServerEventLog(laptop),
            new ServerEventLog(senderConnection), new ServerEventLog(outsiderConnection));
        var message = View(conversation, sender, seq: 7, "Hello");

        await realtime.ProduceAsync(Topics.MessagesOutgoing, conversation.Id.ToString(), MessageCreated.RecordType,
            new MessageCreated(message, [sender.Id, recipient.Id]));

        foreach (var events in new[] { phoneEvents, laptopEvents, senderEvents })
        {
            var (received, _) = await events.WaitAsync(ServerEvents.MessageNew, e => e.GetProperty("id").GetGuid() == message.Id);
            Assert.Equal((7L, "Hello", "text"),
                (received.GetProperty("seq").GetInt64(), received.GetProperty("body").GetString(), received.GetProperty("type").GetString()));
        }
        await outsiderEvents.AssertNoneAsync(ServerEvents.MessageNew);
    }

    [Fact]
    public async Task A_message_announced_again_is_not_sent_again()
    {
        // What Workers produce when a client retries a send with the same clientMessageId: the message exists, so
        // its MessageCreated comes again.
        var (sender, recipient) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Direct, [sender, recipient]);
        await using var connection = await realtime.ConnectAsync(recipient);
        var events = new ServerEventLog(connection);
        var (retried, sentinel) = (View(conversation, sender, seq: 1, "once"), View(conversation, sender, seq: 2, "after"));

        foreach (var message in new[] { retried, retried, sentinel })
        {
            await realtime.ProduceAsync(Topics.MessagesOutgoing, conversation.Id.ToString(), MessageCreated.RecordType,
                new MessageCreated(message, [sender.Id, recipient.Id]));
        }

        await events.WaitAsync(ServerEvents.MessageNew, e => e.GetProperty("id").GetGuid() == sentinel.Id);
        Assert.Equal(1, events.Count(ServerEvents.MessageNew, e => e.GetProperty("id").GetGuid() == retried.Id));
    }

    [Fact]
    public async Task MessageUpdated_is_sent_again_as_message_new()
    {
        var (sender, recipient) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Direct, [sender, recipient]);
        await using var connection = await realtime.ConnectAsync(recipient);
        var events = new ServerEventLog(connection);
        var deleted = View(conversation, sender, seq: 2, null) with { DeletedAt = DateTimeOffset.UtcNow };

        await realtime.ProduceAsync(Topics.MessagesOutgoing, conversation.Id.ToString(), MessageUpdated.RecordType,
            new MessageUpdated(deleted, [sender.Id, recipient.Id]));

        var (received, _) = await events.WaitAsync(ServerEvents.MessageNew, e => e.GetProperty("id").GetGuid() == deleted.Id);
        Assert.True(received.TryGetProperty("deletedAt", out _));
    }

    [Fact]
    public async Task ReactionsChanged_is_sent_as_reaction_changed()
    {
        var (reactor, recipient) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Direct, [reactor, recipient]);
        await using var connection = await realtime.ConnectAsync(recipient);
        var events = new ServerEventLog(connection);
        var messageId = Guid.NewGuid();

        await realtime.ProduceAsync(Topics.MessagesOutgoing, conversation.Id.ToString(), ReactionsChanged.RecordType,
            new ReactionsChanged(conversation.Id, messageId, new Dictionary<string, int> { ["👍"] = 2 }, [reactor.Id, recipient.Id]));

        var (received, _) = await events.WaitAsync(ServerEvents.ReactionChanged, e => e.GetProperty("messageId").GetGuid() == messageId);
        Assert.Equal(conversation.Id, received.GetProperty("conversationId").GetGuid());
        Assert.Equal(2, received.GetProperty("reactions").GetProperty("👍").GetInt32());
    }

    [Fact]
    public async Task MessageRead_is_sent_as_message_read()
    {
        var (reader, recipient) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Direct, [reader, recipient]);
        await using var connection = await realtime.ConnectAsync(recipient);
        var events = new ServerEventLog(connection);

        await realtime.ProduceAsync(Topics.MessagesOutgoing, conversation.Id.ToString(), MessageRead.RecordType,
            new MessageRead(conversation.Id, reader.Id, 12, [reader.Id, recipient.Id]));

        var (received, _) = await events.WaitAsync(ServerEvents.MessageRead, e => e.GetProperty("conversationId").GetGuid() == conversation.Id);
        Assert.Equal((reader.Id, 12L), (received.GetProperty("userId").GetGuid(), received.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task ConversationMembersChanged_drops_the_cached_membership()
    {
        var (owner, newcomer) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Group, [owner], title: "Growing");
        await using var ownerConnection = await realtime.ConnectAsync(owner);
        await using var newcomerConnection = await realtime.ConnectAsync(newcomer);
        var ownerEvents = new ServerEventLog(ownerConnection);
        // Not a member yet: refused, and the member list is now cached.
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => newcomerConnection.InvokeAsync("StartTyping", conversation.Id));
        await realtime.AddMemberAsync(conversation, newcomer);

        await realtime.ProduceAsync(Topics.MessagesOutgoing, conversation.Id.ToString(), ConversationMembersChanged.RecordType,
            new ConversationMembersChanged(conversation.Id, [owner.Id, newcomer.Id], [newcomer.Id]));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                await newcomerConnection.InvokeAsync("StartTyping", conversation.Id);
                break;
            }
            catch (Microsoft.AspNetCore.SignalR.HubException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
        await ownerEvents.WaitAsync(ServerEvents.TypingStart, ServerEventLog.About(newcomer.Id));
    }

    [Fact]
    public async Task An_event_cancelled_rescheduled_or_relocated_is_sent_as_event_updated_to_its_attendees()
    {
        var (attendee, bystander) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        await using var connection = await realtime.ConnectAsync(attendee);
        await using var bystanderConnection = await realtime.ConnectAsync(bystander);
        var (events, bystanderEvents) = (new ServerEventLog(connection), new ServerEventLog(bystanderConnection));
        var (cancelled, rescheduled, relocated) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var now = DateTimeOffset.UtcNow;

        await realtime.ProduceAsync(Topics.EventChanges, cancelled.ToString(), EventCancelledIntegrationEvent.RecordType,
            new EventCancelledIntegrationEvent(cancelled, "Picnic", now, [attendee.Id]));
        await realtime.ProduceAsync(Topics.EventChanges, rescheduled.ToString(), EventRescheduledIntegrationEvent.RecordType,
            new EventRescheduledIntegrationEvent(rescheduled, now.AddDays(2), now.AddDays(2).AddHours(2), now.AddDays(1), now.AddDays(1).AddHours(2), [attendee.Id]));
        await realtime.ProduceAsync(Topics.EventChanges, relocated.ToString(), EventRelocatedIntegrationEvent.RecordType,
            new EventRelocatedIntegrationEvent(relocated, 52.52, 13.40, "Alexanderplatz", "Berlin", [attendee.Id]));

        foreach (var eventId in new[] { cancelled, rescheduled, relocated })
            await events.WaitAsync(ServerEvents.EventUpdated, e => e.GetProperty("eventId").GetGuid() == eventId);
        await bystanderEvents.AssertNoneAsync(ServerEvents.EventUpdated);
    }

    private static MessageView View(Conversation conversation, Kinder.Core.Identity.User sender, long seq, string? body) => new(
        MessageIds.For(conversation.Id, sender.Id, $"c-{seq}"), conversation.Id, seq, sender.Id, $"c-{seq}", "text", body, [], null,
        new Dictionary<string, int>(), DateTimeOffset.UtcNow);
}
