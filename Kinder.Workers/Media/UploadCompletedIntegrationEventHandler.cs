using Kinder.Core.Data;
using Kinder.Core.Media;
using Kinder.Messaging;
using Kinder.Core.Storage;
using Kinder.Core.Uploads;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Workers.Media;

/// <summary>
/// Makes the display sizes of a completed image upload (<see cref="UploadKeys.DisplayWidths"/>, metadata-free WebP)
/// and marks it processed. Idempotent: a processed or deleted upload is skipped, and writing a rendition again
/// replaces it with the same bytes.
/// </summary>
public sealed class UploadCompletedIntegrationEventHandler(KinderDbContext db, ObjectStorage storage, ImagePipeline images,
    TimeProvider time, ILogger<UploadCompletedIntegrationEventHandler> logger) : IRecordHandler<UploadCompletedIntegrationEvent>
{
    public async Task HandleAsync(UploadCompletedIntegrationEvent completed, KafkaRecord source, CancellationToken cancellationToken)
    {
        var upload = await db.Uploads.FirstOrDefaultAsync(u => u.Id == completed.UploadId, cancellationToken);
        if (upload is null || upload.Status != UploadStatus.Complete)
        {
            logger.LogInformation("Upload {UploadId} is gone or already processed; nothing to do", completed.UploadId);
            return;
        }
        // The object complete checked and wrote, of the size it recorded: read no more than that.
        var content = await storage.GetAsync(upload.Key, upload.ActualSize ?? upload.DeclaredSize, cancellationToken);
        if (content is null)
        {
            logger.LogInformation("The object of upload {UploadId} is gone (deleted meanwhile); nothing to do", upload.Id);
            return;
        }
        var result = await images.DisplaySizesAsync(content, UploadKeys.DisplayWidths, cancellationToken);
        if (result is not ImageProcessingResult.Processed processed)
        {
            // Checked by content at complete, so only a corrupt or oversized image lands here: retrying cannot help.
            logger.LogWarning("Upload {UploadId} could not be processed: {Result}", upload.Id, result);
            return;
        }
        for (var index = 0; index < UploadKeys.DisplayWidths.Count; index++)
        {
            await storage.PutAsync(UploadKeys.DisplayKey(upload.Key, UploadKeys.DisplayWidths[index]),
                processed.Renditions[index], "image/webp", cancellationToken);
        }
        await db.Uploads.Where(u => u.Id == upload.Id && u.Status == UploadStatus.Complete)
            .ExecuteUpdateAsync(u => u
                .SetProperty(x => x.Status, UploadStatus.Processed)
                .SetProperty(x => x.ProcessedAt, time.GetUtcNow()), cancellationToken);
        logger.LogInformation("Made the display sizes of upload {UploadId}", upload.Id);
    }
}
