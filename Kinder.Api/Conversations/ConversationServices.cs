using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Messaging;
using Kinder.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Conversations;

/// <summary>The conversation and message handlers' dependencies, registered scoped and taken as one parameter.</summary>
public sealed class ConversationServices(KinderDbContext db, ObjectStorage storage, TimeProvider time,
    ConversationAccess access, ChatSignals signals, IKafkaProducer producer)
{
    public KinderDbContext Db => db;
    public ObjectStorage Storage => storage;
    public TimeProvider Time => time;
    public ConversationAccess Access => access;
    public ChatSignals Signals => signals;
    public IKafkaProducer Producer => producer;

    /// <summary>The changed message as clients read it, with its MessageUpdated signal added to this unit of work.</summary>
    public async Task<MessageView> SignalMessageUpdatedAsync(Guid messageId, CancellationToken cancellationToken)
    {
        var stored = await db.Messages.AsNoTracking().SingleAsync(m => m.Id == messageId, cancellationToken);
        var view = (await db.ViewsAsync(Storage, [stored], cancellationToken))[0];
        await signals.MessageUpdatedAsync(view, cancellationToken);
        return view;
    }
}
