using Kinder.Core.Data;
using Kinder.Core.Uploads;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Events;

/// <summary>An event's images are the organizer's own completed <c>event_image</c> uploads.</summary>
public static class EventImages
{
    public static async Task<IReadOnlySet<string>> UsableImageKeysAsync(this KinderDbContext db, Guid ownerId,
        IReadOnlyList<string>? requested, CancellationToken cancellationToken)
    {
        var keys = requested?.Where(key => !string.IsNullOrWhiteSpace(key)).Select(key => key.Trim()).Distinct().ToList() ?? [];
        if (keys.Count == 0)
        {
            return new HashSet<string>();
        }
        var usable = await db.Uploads.AsNoTracking()
            .Where(u => u.OwnerId == ownerId && u.Purpose == UploadPurpose.EventImage && u.Status != UploadStatus.Pending
                && keys.Contains(u.Key))
            .Select(u => u.Key)
            .ToListAsync(cancellationToken);
        return usable.ToHashSet(StringComparer.Ordinal);
    }
}
