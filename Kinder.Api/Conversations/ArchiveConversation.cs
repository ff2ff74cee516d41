using Kinder.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Conversations;

/// <summary>
/// <c>POST /conversations/{id}/archive</c> and <c>…/unarchive</c>: put away for the caller only, until unarchived or
/// a new message arrives. Idempotent.
/// </summary>
public sealed class ArchiveConversation(ConversationServices services)
{
    /// <summary>Archives now, or (<paramref name="archive"/> false) brings it back.</summary>
    public async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(Guid id, Guid userId, bool archive,
        CancellationToken cancellationToken)
    {
        DateTimeOffset? archivedAt = archive ? services.Time.GetUtcNow() : null;
        var changed = await services.Db.ConversationMembers
            .Where(m => m.ConversationId == id && m.UserId == userId && m.LeftAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.ArchivedAt, archivedAt), cancellationToken);
        return changed == 0 ? Problems.NotFound() : TypedResults.NoContent();
    }
}
