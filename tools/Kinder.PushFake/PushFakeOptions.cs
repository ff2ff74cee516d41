namespace Kinder.PushFake;

/// <summary>
/// How the fake is reached and whose keys it trusts (section <c>PushFake</c>, environment <c>PushFake__…</c>). The
/// public keys are the halves of the private keys Workers sign with: the AppHost generates a pair of each per run,
/// a test per stack. No key is ever written to the repository.
/// </summary>
public sealed class PushFakeOptions
{
    public const string SectionName = "PushFake";

    /// <summary>
    /// A token starting with this is dead, as an uninstalled app's token is: FCM answers 404 <c>UNREGISTERED</c>,
    /// APNs 410 <c>Unregistered</c> (it is hex, so an APNs token can carry it). <c>POST /dead-tokens</c> marks any other.
    /// </summary>
    public const string DeadTokenPrefix = "deadbeef";

    /// <summary>Loopback port of FCM (the token endpoint and <c>messages:send</c>) and of <c>GET /pushes</c>; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Loopback port of APNs, HTTP/2 only without TLS (h2c with prior knowledge); 0 picks a free one.</summary>
    public int ApnsPort { get; set; }

    /// <summary>The one Firebase project <c>messages:send</c> accepts.</summary>
    public string ProjectId { get; set; } = "kinder-local";

    /// <summary>
    /// The token endpoint's address as Workers are given it (<c>Push:Fcm:TokenUri</c>), which the assertion's audience
    /// must name; empty: the fake's own loopback address (as the in-process tests call it).
    /// </summary>
    public string? TokenUri { get; set; }

    /// <summary>The service account the JWT assertion must be issued by (<c>iss</c>); empty accepts any.</summary>
    public string? FcmClientEmail { get; set; }

    /// <summary>The service account's RSA public key, PEM: the assertion's RS256 signature is checked with it.</summary>
    public string? FcmPublicKey { get; set; }

    /// <summary>The <c>.p8</c> key's EC P-256 public key, PEM: the provider token's ES256 signature is checked with it.</summary>
    public string? ApnsPublicKey { get; set; }

    /// <summary>The provider token's <c>kid</c> and <c>iss</c>; empty accepts any.</summary>
    public string? ApnsKeyId { get; set; }
    public string? ApnsTeamId { get; set; }

    /// <summary>The app's bundle id: the only <c>apns-topic</c> accepted.</summary>
    public string ApnsBundleId { get; set; } = "app.kinder.local";

    /// <summary>Where each accepted push is written as a JSON file (e.g. <c>.kinder/push</c>); empty: kept in memory only.</summary>
    public string? Folder { get; set; }

    /// <summary>How long an access token from the token endpoint is good for (Google's: an hour).</summary>
    public int AccessTokenLifetimeSeconds { get; set; } = 3600;
}
