namespace Kinder.Core.Storage;

/// <summary>S3-compatible object storage (section <c>Storage</c>): MinIO under the AppHost, s3rver locally, S3/R2 in production.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    public string ServiceUrl { get; set; } = "";
    public string Bucket { get; set; } = "kinder";
    public string AccessKey { get; set; } = "";
    public string SecretKey { get; set; } = "";
    public string Region { get; set; } = "us-east-1";

    /// <summary>
    /// How long a signed GET URL of a private object (chat attachments, event images) works: it is handed out after an
    /// access check, so a few minutes; clients read the view again for a fresh one.
    /// </summary>
    public TimeSpan SignedUrlLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Base URL clients fetch public objects (avatars) from (a CDN in production); defaults to <c>{ServiceUrl}/{Bucket}</c>.</summary>
    public string? PublicUrl { get; set; }

    public string? UrlFor(string? key) =>
        string.IsNullOrEmpty(key)
            ? null
            : $"{(PublicUrl ?? $"{ServiceUrl.TrimEnd('/')}/{Bucket}").TrimEnd('/')}/{key}";
}
