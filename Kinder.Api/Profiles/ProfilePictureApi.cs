using System.Security.Claims;
using Amazon.Runtime;
using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Media;
using Kinder.Core.RateLimiting;
using Kinder.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Profiles;

/// <param name="AvatarUrl">The 512 px square.</param>
/// <param name="ThumbnailUrl">The 128 px square.</param>
public sealed record ProfilePictureResponse(string AvatarUrl, string ThumbnailUrl);

public sealed class ProfilePictureServices(KinderDbContext db, ImagePipeline processor, ObjectStorage storage,
    IOptions<MediaOptions> media, RedisRateLimiter limiter, TimeProvider time, ILogger<ProfilePictureServices> logger)
{
    public const string RateLimitName = "avatar-upload";
    public RedisRateLimiter Limiter { get; } = limiter;
    public KinderDbContext Db { get; } = db;
    public ImagePipeline Processor { get; } = processor;
    public ObjectStorage Storage { get; } = storage;
    public IOptions<MediaOptions> Media { get; } = media;
    public TimeProvider Time { get; } = time;
    public ILogger<ProfilePictureServices> Logger { get; } = logger;
}

/// <summary>The body limit of an upload endpoint, which replaces the Api's JSON limit for it (RequestBodyLimit).</summary>
internal sealed class UploadSizeLimit(long bytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize => bytes;
}

public static class ProfilePictureApi
{
    // Room for the multipart boundaries and part headers around the file itself.
    private const long MultipartOverhead = 64 * 1024;

    public static IEndpointRouteBuilder MapProfilePictureApi(this IEndpointRouteBuilder app)
    {
        var maxAvatarBytes = app.ServiceProvider.GetRequiredService<IOptions<MediaOptions>>().Value.MaxAvatarBytes;
        var group = app.MapGroup("/users").WithTags("Profile").RequireAuthorization();
        group.MapPost("/profile/picture", UploadProfilePicture)
            .WithName("UploadProfilePicture")
            .WithSummary("Upload a profile picture (multipart, field file): JPEG, PNG or WebP, stored as 512 px and 128 px squares without metadata.")
            .WithMetadata(new UploadSizeLimit(maxAvatarBytes + MultipartOverhead))
            // Bearer-authenticated: a browser never attaches the token by itself, so there is no CSRF to guard against.
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    /// <summary>
    /// 415 <c>UNSUPPORTED_MEDIA_TYPE</c> for anything that is not a JPEG, PNG or WebP by content (whatever its name or
    /// declared type); 413 <c>PAYLOAD_TOO_LARGE</c> over <c>Media:MaxAvatarBytes</c> or the pixel limit
    /// (<c>Media:MaxAvatarPixels</c>, read from the header before decoding); 429 <c>RATE_LIMITED</c> past
    /// <c>Media:AvatarRateLimit</c>; 400 <c>VALIDATION_FAILED</c> on <c>file</c> when no file was sent.
    /// </summary>
    public static async Task<Results<Ok<ProfilePictureResponse>, ValidationProblem, ProblemHttpResult>> UploadProfilePicture(
        IFormFile? file, ClaimsPrincipal principal, HttpContext httpContext, [AsParameters] ProfilePictureServices services,
        CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["file"] = ["Attach the picture as the multipart field 'file'."] });
        }
        if (file.Length > services.Media.Value.MaxAvatarBytes)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge,
                $"The picture is {file.Length} bytes; at most {services.Media.Value.MaxAvatarBytes} are accepted.");
        }

        var userId = principal.GetUserId();
        // Every upload that gets this far is decoded: counted per user, so one account cannot keep the decoders busy.
        var decision = await services.Limiter.HitAsync(ProfilePictureServices.RateLimitName, userId.ToString(),
            services.Media.Value.AvatarRateLimit);
        if (!decision.IsAllowed)
        {
            return Problems.TooManyRequests(httpContext, decision);
        }
        var user = await services.Db.Users.AsNoTracking()
            .Where(u => u.Id == userId && u.DeletedAt == null)
            .Select(u => new { u.AvatarKey })
            .FirstOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return Problems.NotFound();
        }

        var upload = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(upload, cancellationToken);
        }
        var processed = await services.Processor.AvatarAsync(upload, cancellationToken);
        if (processed is not ImageProcessingResult.Processed images)
        {
            return processed switch
            {
                ImageProcessingResult.TooManyPixels tooMany =>
                    Problems.Create(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, tooMany.Reason),
                ImageProcessingResult.Unsupported unsupported =>
                    Problems.Create(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType,
                        unsupported.Reason + " Upload a JPEG, PNG or WebP picture."),
                _ => throw new InvalidOperationException($"Unexpected result {processed}."),
            };
        }

        // New keys every time: the old objects stay valid for anyone still showing them until they are deleted below.
        var (avatarKey, thumbnailKey) = AvatarKeys.New(userId);
        await Task.WhenAll(
            services.Storage.PutAsync(avatarKey, images.Renditions[0], "image/webp", cancellationToken),
            services.Storage.PutAsync(thumbnailKey, images.Renditions[1], "image/webp", cancellationToken));

        var updated = await services.Db.Users
            .Where(u => u.Id == userId && u.DeletedAt == null)
            .ExecuteUpdateAsync(u => u
                .SetProperty(x => x.AvatarKey, avatarKey)
                .SetProperty(x => x.UpdatedAt, services.Time.GetUtcNow()), cancellationToken);
        if (updated == 0)
        {
            // The account was deleted while we worked: leave nothing of this upload behind.
            await DeleteQuietlyAsync(services, [avatarKey, thumbnailKey]);
            return Problems.NotFound();
        }
        if (user.AvatarKey is not null)
        {
            await DeleteQuietlyAsync(services, AvatarKeys.ObjectsOf(user.AvatarKey));
        }

        return TypedResults.Ok(new ProfilePictureResponse(services.Storage.UrlFor(avatarKey)!, services.Storage.UrlFor(thumbnailKey)!));
    }

    // The new picture is committed; an old object that cannot be deleted now only costs space (account deletion
    // clears the user's whole prefix), so it must not fail the request.
    private static async Task DeleteQuietlyAsync(ProfilePictureServices services, IReadOnlyList<string> keys)
    {
        foreach (var key in keys)
        {
            try
            {
                await services.Storage.DeleteAsync(key, CancellationToken.None);
            }
            catch (Exception exception) when (exception is AmazonServiceException or HttpRequestException)
            {
                services.Logger.LogWarning(exception, "Could not delete the replaced avatar object {Key}", key);
            }
        }
    }
}
