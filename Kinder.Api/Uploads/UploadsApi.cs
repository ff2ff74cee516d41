using System.Security.Claims;
using System.Security.Cryptography;
using Amazon.Runtime;
using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Messaging;
using Kinder.Core.Outbox;
using Kinder.Core.RateLimiting;
using Kinder.Core.Storage;
using Kinder.Core.Uploads;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Uploads;

public sealed class UploadServices(KinderDbContext db, ObjectStorage storage, IOptions<UploadOptions> options,
    RedisRateLimiter limiter, TimeProvider time, ILogger<UploadServices> logger)
{
    public const string DailyUploadsLimit = "upload-count";
    public const string DailyBytesLimit = "upload-bytes";
    public RedisRateLimiter Limiter => limiter;
    public KinderDbContext Db => db;
    public ObjectStorage Storage => storage;
    public UploadOptions Options => options.Value;
    public TimeProvider Time => time;
    public ILogger<UploadServices> Logger => logger;
}

/// <summary>
/// Presigned uploads: sign a PUT (to an incoming key, with its length signed), the client sends the file straight to
/// storage, then <c>complete</c> checks what really arrived (the storage server checks no type for us) and writes
/// the bytes it checked to the upload's key, which no URL can write: only that is ever served, and only as short-lived
/// signed URLs (of the renditions, for images).
/// </summary>
public static class UploadsApi
{
    public static IEndpointRouteBuilder MapUploadsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/uploads").WithTags("Uploads").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/sign-url", SignUpload)
            .WithName("SignUpload")
            .WithSummary("A presigned PUT URL for one file of a purpose (event_image, chat_attachment), within its size limit and types, and the caller's daily quota.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/complete", CompleteUpload)
            .WithName("CompleteUpload")
            .WithSummary("Check the uploaded object (there, within the declared size and limit, the declared type by content), record its SHA-256; images get display sizes.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapDelete("/{**key}", DeleteUpload)
            .WithName("DeleteUpload")
            .WithSummary("Delete one of your uploads and its display sizes; anyone else's key is 404.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>
    /// The validator has held <c>contentType</c> and <c>sizeBytes</c> to the purpose's configuration. 403
    /// <c>EMAIL_NOT_VERIFIED</c> before the email is verified; 429 <c>RATE_LIMITED</c> past the daily count or bytes
    /// (<c>Uploads:DailyUploads</c>, <c>Uploads:DailyBytes</c>).
    /// </summary>
    public static async Task<Results<Ok<SignUploadResponse>, ValidationProblem, ProblemHttpResult>> SignUpload(
        SignUploadRequest request, ClaimsPrincipal principal, HttpContext httpContext, UploadServices services,
        CancellationToken cancellationToken)
    {
        var purpose = request.Purpose!.Value;
        var contentType = request.ContentType!.Trim().ToLowerInvariant();
        var sizeBytes = request.SizeBytes!.Value;
        if (!principal.IsEmailVerified())
        {
            return Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.EmailNotVerified,
                "Verify your email address before uploading files.");
        }

        var ownerId = principal.GetUserId();
        var partition = ownerId.ToString();
        var count = await services.Limiter.HitAsync(UploadServices.DailyUploadsLimit, partition, services.Options.DailyUploads);
        if (!count.IsAllowed)
        {
            return Problems.TooManyRequests(httpContext, count);
        }
        var bytes = await services.Limiter.HitAsync(UploadServices.DailyBytesLimit, partition, services.Options.DailyBytes, sizeBytes);
        if (!bytes.IsAllowed)
        {
            // Refused bytes were never signed: give them back, so a smaller file still fits the rest of the quota.
            await services.Limiter.UndoAsync(UploadServices.DailyBytesLimit, partition, sizeBytes);
            return Problems.TooManyRequests(httpContext, bytes);
        }
        var now = services.Time.GetUtcNow();
        var upload = new Upload
        {
            OwnerId = ownerId,
            Purpose = purpose,
            Key = UploadKeys.New(ownerId, purpose, contentType),
            ContentType = contentType,
            DeclaredSize = sizeBytes,
            CreatedAt = now,
        };
        services.Db.Uploads.Add(upload);
        await services.Db.SaveChangesAsync(cancellationToken);

        var expiresAt = now + services.Options.UrlLifetime;
        var url = services.Storage.PresignPut(UploadKeys.IncomingKey(upload.Key), contentType, sizeBytes, expiresAt);
        return TypedResults.Ok(new SignUploadResponse(upload.Id, url,
            new Dictionary<string, string>
            {
                ["Content-Type"] = contentType,
                ["Content-Length"] = sizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, upload.Key, expiresAt));
    }

    /// <summary>
    /// 404 for an upload that is not the caller's; 409 <c>UPLOAD_NOT_RECEIVED</c> when nothing was PUT yet;
    /// 413 <c>PAYLOAD_TOO_LARGE</c> when more than declared (or than the limit) arrived and 415
    /// <c>UNSUPPORTED_MEDIA_TYPE</c> when the content is not the declared type — both delete the object and the upload.
    /// Completing twice answers the same.
    /// </summary>
    public static async Task<Results<Ok<UploadResponse>, ValidationProblem, ProblemHttpResult>> CompleteUpload(
        CompleteUploadRequest request, ClaimsPrincipal principal, UploadServices services,
        CancellationToken cancellationToken)
    {
        var db = services.Db;
        var ownerId = principal.GetUserId();
        var upload = await db.Uploads.FirstOrDefaultAsync(u => u.Id == request.UploadId && u.OwnerId == ownerId, cancellationToken);
        if (upload is null)
        {
            return Problems.NotFound();
        }
        if (upload.Status != UploadStatus.Pending)
        {
            return TypedResults.Ok(Response(upload, services.Storage, duplicate: false));
        }

        var incomingKey = UploadKeys.IncomingKey(upload.Key);
        var head = await services.Storage.HeadAsync(incomingKey, cancellationToken);
        if (head is null)
        {
            return Problems.Create(StatusCodes.Status409Conflict, ErrorCodes.UploadNotReceived,
                "Nothing has been uploaded to the signed URL yet. PUT the file there first.");
        }
        var limit = Math.Min(upload.DeclaredSize, services.Options.For(upload.Purpose).MaxBytes);
        if (head.Size > limit)
        {
            await RejectAsync(services, upload, cancellationToken);
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge,
                $"{head.Size} bytes arrived; {upload.DeclaredSize} were declared. Sign a new upload for this file.");
        }
        // Never more than the limit into memory, whatever was PUT since the HEAD.
        var content = await services.Storage.GetAsync(incomingKey, limit, cancellationToken);
        if (content is null)
        {
            return Problems.Create(StatusCodes.Status409Conflict, ErrorCodes.UploadNotReceived,
                "The uploaded object is gone. Sign a new upload.");
        }
        if (content.LongLength > limit)
        {
            // Replaced between the HEAD and the GET.
            await RejectAsync(services, upload, cancellationToken);
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge,
                $"{content.LongLength} bytes arrived; {upload.DeclaredSize} were declared. Sign a new upload for this file.");
        }
        var actualType = UploadContent.Sniff(content);
        if (actualType != upload.ContentType)
        {
            await RejectAsync(services, upload, cancellationToken);
            return Problems.Create(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType,
                $"The file is not a {upload.ContentType} by its content. Sign a new upload with its real type.");
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var now = services.Time.GetUtcNow();
        var earlier = await db.Uploads.AsNoTracking()
            .Where(u => u.OwnerId == ownerId && u.Purpose == upload.Purpose && u.Sha256 == sha256 && u.Id != upload.Id
                && u.Status != UploadStatus.Pending)
            .OrderBy(u => u.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (earlier is not null)
        {
            // Same bytes as before: keep the stored object (and its display sizes), drop this one.
            await RejectAsync(services, upload, cancellationToken);
            return TypedResults.Ok(Response(earlier, services.Storage, duplicate: true));
        }

        // What was checked is what is kept: these bytes, at a key no signed URL can write.
        await services.Storage.PutAsync(upload.Key, content, upload.ContentType, cancellationToken);
        await DeleteIncomingQuietlyAsync(services, upload);
        upload.ActualSize = content.LongLength;
        upload.Sha256 = sha256;
        upload.Status = UploadStatus.Complete;
        upload.CompletedAt = now;
        if (upload.IsImage)
        {
            db.AddIntegrationEvent(Topics.Media, upload.Id.ToString(),
                new UploadCompletedIntegrationEvent(upload.Id, ownerId, upload.Key, upload.ContentType));
        }
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(Response(upload, services.Storage, duplicate: false));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteUpload(string key, ClaimsPrincipal principal,
        UploadServices services, CancellationToken cancellationToken)
    {
        var ownerId = principal.GetUserId();
        key = Uri.UnescapeDataString(key);
        var upload = await services.Db.Uploads.FirstOrDefaultAsync(u => u.Key == key && u.OwnerId == ownerId, cancellationToken);
        if (upload is null)
        {
            return Problems.NotFound();
        }
        // Objects first: a failure leaves the row, so the owner can retry; deleting a missing object succeeds.
        foreach (var objectKey in UploadKeys.ObjectsOf(upload.Key))
        {
            await services.Storage.DeleteAsync(objectKey, cancellationToken);
        }
        services.Db.Uploads.Remove(upload);
        await services.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task RejectAsync(UploadServices services, Upload upload, CancellationToken cancellationToken)
    {
        await DeleteIncomingQuietlyAsync(services, upload);
        services.Db.Uploads.Remove(upload);
        await services.Db.SaveChangesAsync(cancellationToken);
    }

    // What the client PUT is only ever read by complete; one left behind costs space until the owner's erasure.
    private static async Task DeleteIncomingQuietlyAsync(UploadServices services, Upload upload)
    {
        var incomingKey = UploadKeys.IncomingKey(upload.Key);
        try
        {
            await services.Storage.DeleteAsync(incomingKey, CancellationToken.None);
        }
        catch (Exception exception) when (exception is AmazonServiceException or HttpRequestException)
        {
            services.Logger.LogWarning(exception, "Could not delete the incoming upload object {Key}", incomingKey);
        }
    }

    // Private objects, so signed URLs; for images only the metadata-free renditions, never the original.
    private static UploadResponse Response(Upload upload, ObjectStorage storage, bool duplicate) => new(
        upload.Id,
        upload.Key,
        storage.SignedUrlFor(upload.IsImage ? UploadKeys.DisplayKey(upload.Key, UploadKeys.LargeWidth) : upload.Key),
        upload.Purpose,
        upload.ContentType,
        upload.ActualSize ?? upload.DeclaredSize,
        upload.Sha256 ?? "",
        upload.Status,
        upload.IsImage
            ? UploadKeys.DisplayWidths.ToDictionary(width => width.ToString(System.Globalization.CultureInfo.InvariantCulture),
                width => storage.SignedUrlFor(UploadKeys.DisplayKey(upload.Key, width)))
            : null,
        duplicate);
}
