namespace Kinder.Core.Chat;

/// <summary>
/// The write check a send makes (<see cref="MessageSubmitter"/>): <see cref="ConversationAccess"/> asks the database;
/// Realtime answers from what it caches and invalidates, and asks the database before it refuses.
/// </summary>
public interface IConversationWriteAccess
{
    Task<WriteAccess> CheckWriteAsync(Guid conversationId, Guid userId, CancellationToken cancellationToken);
}
