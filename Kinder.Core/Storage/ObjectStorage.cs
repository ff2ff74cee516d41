using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace Kinder.Core.Storage;

/// <summary>What a stored object is, as a HEAD request tells it.</summary>
public sealed record StoredObject(string Key, long Size, string? ContentType);

/// <summary>Kinder's few operations on the bucket of <see cref="StorageOptions"/>.</summary>
public sealed class ObjectStorage(IAmazonS3 s3, IOptions<StorageOptions> options)
{
    private string Bucket => options.Value.Bucket;

    public async Task PutAsync(string key, byte[] content, string contentType, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(content, writable: false);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket,
            Key = key,
            InputStream = body,
            ContentType = contentType,
            // A plain body with Content-Length: S3-compatible servers that do not speak aws-chunked store it as sent.
            UseChunkEncoding = false,
        }, cancellationToken);
    }

    /// <summary>Deletes the object; deleting one that is not there succeeds, so callers can retry freely.</summary>
    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = key }, cancellationToken);

    /// <summary>Deletes every object whose key starts with <paramref name="prefix"/>; safe to repeat.</summary>
    public async Task<int> DeleteAllAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var deleted = 0;
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request, cancellationToken);
            // One request per key: multi-object delete needs Content-MD5, which not every S3-compatible server takes.
            foreach (var item in page.S3Objects ?? [])
            {
                await DeleteAsync(item.Key, cancellationToken);
                deleted++;
            }
            request.ContinuationToken = page.NextContinuationToken;
        } while (page.IsTruncated == true);
        return deleted;
    }

    /// <summary>The object's size and type, or null when there is no such object.</summary>
    public async Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var metadata = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, cancellationToken);
            return new StoredObject(key, metadata.ContentLength, metadata.Headers.ContentType);
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The whole object, or null when there is no such object. Only for objects Kinder wrote itself.</summary>
    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken) =>
        await GetAsync(key, long.MaxValue - 1, cancellationToken);

    /// <summary>
    /// The object, or null when there is no such object, read into memory up to <paramref name="maxBytes"/> + 1 bytes
    /// and no further, whatever the server says its length is: a result longer than <paramref name="maxBytes"/> means
    /// the object is too large (the rest was never read).
    /// </summary>
    public async Task<byte[]?> GetAsync(string key, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key }, cancellationToken);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while (buffer.Length <= maxBytes
                && (read = await response.ResponseStream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, maxBytes + 1 - buffer.Length)), cancellationToken)) > 0)
            {
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// A URL the client PUTs the object to directly, with <paramref name="contentType"/> as its Content-Type and exactly
    /// <paramref name="contentLength"/> bytes: both headers are signed, so S3 refuses any other size. The type by
    /// content must still be checked afterwards.
    /// </summary>
    public string PresignPut(string key, string contentType, long contentLength, DateTimeOffset expiresAt)
    {
        var request = new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = key,
            Verb = HttpVerb.PUT,
            ContentType = contentType,
            Expires = expiresAt.UtcDateTime,
            Protocol = UrlProtocol,
        };
        request.Headers.ContentLength = contentLength;
        return s3.GetPreSignedURL(request);
    }

    /// <summary>
    /// A GET URL for one object that works for <see cref="StorageOptions.SignedUrlLifetime"/>: how media that are not
    /// public are handed out, after the caller's access was checked. With the bucket private, nothing else reads them.
    /// </summary>
    public string SignedUrlFor(string key) =>
        s3.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow + options.Value.SignedUrlLifetime,
            Protocol = UrlProtocol,
        });

    private Protocol UrlProtocol =>
        options.Value.ServiceUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? Protocol.HTTP : Protocol.HTTPS;

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) =>
        await HeadAsync(key, cancellationToken) is not null;

    /// <summary>Where clients fetch a public object (<see cref="StorageOptions.UrlFor"/>: avatars); null for no key.</summary>
    public string? UrlFor(string? key) => options.Value.UrlFor(key);
}
