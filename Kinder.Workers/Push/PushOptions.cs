namespace Kinder.Workers.Push;

/// <summary>
/// The push services (section <c>Push</c>). A service without credentials is off: its devices are skipped with a
/// warning. Private keys come from the AppHost (generated per run for the local push fake) or a deployment's secrets,
/// never from the repository.
/// </summary>
public sealed class PushOptions
{
    public const string SectionName = "Push";

    public FcmOptions Fcm { get; set; } = new();

    public ApnsOptions Apns { get; set; } = new();
}

/// <summary>Firebase Cloud Messaging HTTP v1 with a service account (the fields of its JSON key file).</summary>
public sealed class FcmOptions
{
    public const string GoogleBaseUrl = "https://fcm.googleapis.com";
    public const string GoogleTokenUri = "https://oauth2.googleapis.com/token";
    public const string Scope = "https://www.googleapis.com/auth/firebase.messaging";

    public string BaseUrl { get; set; } = GoogleBaseUrl;
    public string? ProjectId { get; set; }
    public string? ClientEmail { get; set; }

    /// <summary>The service account's RSA private key, PEM (PKCS#8 <c>-----BEGIN PRIVATE KEY-----</c>).</summary>
    public string? PrivateKey { get; set; }

    /// <summary>Where the JWT-bearer grant is exchanged for an access token (the key file's <c>token_uri</c>).</summary>
    public string TokenUri { get; set; } = GoogleTokenUri;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ProjectId) && !string.IsNullOrWhiteSpace(ClientEmail)
        && !string.IsNullOrWhiteSpace(PrivateKey);
}

/// <summary>Apple Push Notification service over HTTP/2 with token-based (<c>.p8</c>) authentication.</summary>
public sealed class ApnsOptions
{
    public const string ProductionBaseUrl = "https://api.push.apple.com";

    /// <summary><c>https://api.sandbox.push.apple.com</c> for development builds of the app.</summary>
    public string BaseUrl { get; set; } = ProductionBaseUrl;

    /// <summary>The <c>.p8</c> key's id (the JWT's <c>kid</c>).</summary>
    public string? KeyId { get; set; }

    /// <summary>The Apple developer team id (the JWT's <c>iss</c>).</summary>
    public string? TeamId { get; set; }

    /// <summary>The <c>.p8</c> file's content: an EC P-256 private key, PEM.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>The app's bundle id, sent as <c>apns-topic</c>.</summary>
    public string? BundleId { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(KeyId) && !string.IsNullOrWhiteSpace(TeamId)
        && !string.IsNullOrWhiteSpace(PrivateKey) && !string.IsNullOrWhiteSpace(BundleId);
}
