using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kinder.Core.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The S3 client (AWSSDK.S3) for the <c>Storage</c> section, <see cref="ObjectStorage"/>, a <c>storage</c> readiness
    /// check (the bucket answers) and a start-up step that creates the bucket when it is missing. Api and Workers both
    /// call this; creating the bucket is idempotent, so it does not matter which starts first.
    /// </summary>
    public static IHostApplicationBuilder AddKinderObjectStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .Validate(options => !string.IsNullOrWhiteSpace(options.Bucket), "Storage:Bucket is not set.")
            .Validate(options => string.IsNullOrEmpty(options.ServiceUrl) || Uri.IsWellFormedUriString(options.ServiceUrl, UriKind.Absolute),
                "Storage:ServiceUrl must be an absolute URL (http://127.0.0.1:7900) or empty for AWS S3 itself.")
            .Validate(options => options.SignedUrlLifetime > TimeSpan.Zero && options.SignedUrlLifetime <= TimeSpan.FromDays(7),
                "Storage:SignedUrlLifetime must be positive and at most 7 days (what S3 signs).")
            .ValidateOnStart();
        builder.Services.AddSingleton<IAmazonS3>(services => CreateClient(services.GetRequiredService<IOptions<StorageOptions>>().Value));
        builder.Services.AddSingleton<ObjectStorage>();
        builder.Services.AddHostedService<StorageBucketInitializer>();
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>(KinderResources.Storage, tags: ["ready"]);
        return builder;
    }

    private static AmazonS3Client CreateClient(StorageOptions options)
    {
        var config = new AmazonS3Config
        {
            // S3-compatible servers (s3rver, MinIO, R2) compute checksums only when asked, and s3rver stores an
            // aws-chunked body verbatim: the SDK's default "when supported" would corrupt objects there.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
            config.ForcePathStyle = true; // loopback servers have no per-bucket host names
        }
        // No keys configured: the SDK's default chain (instance role, environment) applies, as on AWS itself.
        return string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }
}
