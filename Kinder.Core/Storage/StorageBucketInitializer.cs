using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kinder.Core.Storage;

/// <summary>
/// Creates the bucket when it does not exist. The first attempt runs during start, so a host that starts against a
/// reachable server can store objects at once; if the server is not up yet, it keeps trying in the background (the
/// <c>storage</c> health check reports not ready meanwhile) instead of failing the host.
/// </summary>
internal sealed class StorageBucketInitializer(IAmazonS3 s3, IOptions<StorageOptions> options,
    ILogger<StorageBucketInitializer> logger) : BackgroundService
{
    private static readonly TimeSpan FirstAttemptTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FirstAttemptTimeout);
        if (await TryEnsureBucketAsync(timeout.Token, cancellationToken))
        {
            return;
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(RetryDelay, stoppingToken);
            if (await TryEnsureBucketAsync(stoppingToken, stoppingToken))
            {
                return;
            }
        }
    }

    private async Task<bool> TryEnsureBucketAsync(CancellationToken attemptToken, CancellationToken stoppingToken)
    {
        var bucket = options.Value.Bucket;
        try
        {
            await EnsureBucketAsync(s3, bucket, attemptToken);
            logger.LogInformation("Storage bucket {Bucket} is ready", bucket);
            return true;
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // Server down, refusing the keys, or too slow for the attempt: all worth another try later.
            logger.LogWarning("Bucket {Bucket} could not be checked or created yet ({Reason}); retrying", bucket, exception.Message);
            return false;
        }
    }

    /// <summary>Creates <paramref name="bucket"/> unless it exists; another host creating it at the same moment is fine.</summary>
    public static async Task EnsureBucketAsync(IAmazonS3 s3, string bucket, CancellationToken cancellationToken)
    {
        try
        {
            await s3.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }, cancellationToken);
            return;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            // Missing: create it below.
        }
        try
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancellationToken);
        }
        catch (AmazonS3Exception exception) when (exception.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            // Created by another host in the meantime.
        }
    }
}
