using Kinder.Core.Data;
using Kinder.Core.PersonalData;
using Kinder.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Uploads;

/// <summary>The user's uploads: exported as a list; erased with every object under their upload prefix.</summary>
public sealed class UploadsPersonalDataSource(KinderDbContext db, ObjectStorage storage) : IPersonalDataSource
{
    public string Section => "uploads";

    public async Task<object?> ExportAsync(Guid userId, CancellationToken cancellationToken)
    {
        var uploads = await db.Uploads.AsNoTracking()
            .Where(u => u.OwnerId == userId)
            .OrderBy(u => u.CreatedAt)
            .Select(u => new { u.Id, u.Key, u.Purpose, u.ContentType, Size = u.ActualSize ?? u.DeclaredSize, u.Sha256, u.Status, u.CreatedAt, u.CompletedAt })
            .ToListAsync(cancellationToken);
        return uploads.Count == 0 ? null : uploads.Select(u => new
        {
            u.Id,
            // The owner's own file; private, so a signed URL like every private object.
            Url = storage.SignedUrlFor(u.Key),
            Purpose = UploadKeys.Segment(u.Purpose),
            u.ContentType,
            u.Size,
            u.Sha256,
            Status = u.Status.ToString().ToLowerInvariant(),
            u.CreatedAt,
            u.CompletedAt,
        }).ToList();
    }

    public async Task EraseAsync(Guid userId, CancellationToken cancellationToken)
    {
        // Objects first (including renditions and anything a failed step left): the rows say what existed until then.
        await storage.DeleteAllAsync(UploadKeys.PrefixOf(userId), cancellationToken);
        await storage.DeleteAllAsync(UploadKeys.IncomingPrefixOf(userId), cancellationToken);
        await db.Uploads.Where(u => u.OwnerId == userId).ExecuteDeleteAsync(cancellationToken);
    }
}
