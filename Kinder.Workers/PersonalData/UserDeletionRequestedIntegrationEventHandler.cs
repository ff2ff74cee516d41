using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Outbox;
using Kinder.Messaging;
using Kinder.Core.PersonalData;
using Kinder.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Workers.PersonalData;

/// <summary>
/// Finishes an account deletion the Api started: the user's avatar objects go from storage, every
/// <see cref="IPersonalDataSource"/> erases its part, the outbox rows naming the user go (<see cref="OutboxErasure"/>),
/// and the users row is anonymised last. Every step is safe to repeat, so a redelivered or retried record just does
/// it again.
/// </summary>
public sealed class UserDeletionRequestedIntegrationEventHandler(KinderDbContext db, IEnumerable<IPersonalDataSource> sources,
    OutboxErasure outbox, ObjectStorage storage, ILogger<UserDeletionRequestedIntegrationEventHandler> logger) : IRecordHandler<UserDeletionRequestedIntegrationEvent>
{
    public async Task HandleAsync(UserDeletionRequestedIntegrationEvent request, KafkaRecord record, CancellationToken cancellationToken)
    {
        var deleted = await db.Users.AsNoTracking()
            .Where(user => user.Id == request.UserId)
            .Select(user => new { user.DeletedAt, user.Email })
            .FirstOrDefaultAsync(cancellationToken);
        if (deleted?.DeletedAt is null)
        {
            // Only a request the Api committed (DeletedAt set) erases anything.
            logger.LogWarning("Ignoring deletion request {MessageId}: user {UserId} is unknown or not marked deleted",
                record.Envelope.Id, request.UserId);
            return;
        }

        var objects = await storage.DeleteAllAsync(AvatarKeys.PrefixOf(request.UserId), cancellationToken);
        // Before the account row, which holds the address the email rows are keyed by.
        await outbox.EraseAsync(request.UserId, deleted.Email, cancellationToken);
        // The account row last: until then it still says which user this is, should a step fail and be retried.
        foreach (var source in sources.OrderBy(source => source is AccountPersonalDataSource))
        {
            await source.EraseAsync(request.UserId, cancellationToken);
        }
        logger.LogInformation("Erased the personal data of deleted user {UserId} ({Objects} stored object(s) deleted)",
            request.UserId, objects);
    }
}
