using System.ComponentModel.DataAnnotations;

namespace Kinder.Api.Identity.Google;

/// <summary>
/// Google sign-in (section <c>Google</c>). Every Google address is configuration, defaulting to Google's real ones,
/// so tests and local runs can point the whole flow at a fake OpenID provider on loopback. Without a client id
/// (and secret) the Google endpoints answer 503; the rest of the Api runs.
/// </summary>
public sealed class GoogleOptions
{
    public const string SectionName = "Google";

    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";

    [Required]
    public Uri AuthorizationEndpoint { get; set; } = new("https://accounts.google.com/o/oauth2/v2/auth");

    [Required]
    public Uri TokenEndpoint { get; set; } = new("https://oauth2.googleapis.com/token");

    /// <summary>Google's OpenID discovery document, which names the key set (<c>jwks_uri</c>).</summary>
    [Required]
    public Uri DiscoveryUri { get; set; } = new("https://accounts.google.com/.well-known/openid-configuration");

    /// <summary>Google signs ID tokens with either spelling of its issuer.</summary>
    public static readonly string[] GoogleIssuers = ["https://accounts.google.com", "accounts.google.com"];

    /// <summary>
    /// Accepted <c>iss</c> values; empty means <see cref="GoogleIssuers"/>. (Not defaulted in place: the configuration
    /// binder appends to an array it finds, so a configured list could never replace the default.)
    /// </summary>
    public string[] Issuers { get; set; } = [];

    public IReadOnlyList<string> ValidIssuers => Issuers.Length > 0 ? Issuers : GoogleIssuers;

    public string Scope { get; set; } = "openid email profile";

    /// <summary>
    /// Where the apps may ask to be sent back after the callback (exact match). Anything else is refused, so the
    /// callback can never hand tokens to a site an attacker chose.
    /// </summary>
    public string[] AllowedRedirectUris { get; set; } = [];

    /// <summary>
    /// Our callback as registered with Google. When empty it is derived from the request, which is right unless a
    /// proxy in front rewrites the host or scheme.
    /// </summary>
    public Uri? CallbackUri { get; set; }

    /// <summary>How long a started sign-in (state, nonce, PKCE verifier) may wait for its callback.</summary>
    public TimeSpan StateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long fetched keys are used before they are fetched again (at least five minutes).</summary>
    public TimeSpan KeySetLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The least time between two fetches forced by a token whose <c>kid</c> we do not know, so tokens with made-up
    /// key ids cannot make us hammer Google. At least a second.
    /// </summary>
    public TimeSpan MinimumKeySetRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Tolerated clock difference when checking an ID token's expiry.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(2);

    public bool IsConfigured => ClientId.Length > 0 && ClientSecret.Length > 0;

    public bool IsAllowedRedirectUri(string redirectUri) => AllowedRedirectUris.Contains(redirectUri, StringComparer.Ordinal);

    /// <summary>Start-up check: allow-list entries are absolute and carry no fragment (the tokens go there).</summary>
    /// <remarks><c>IsFile</c>: on Unix a bare path such as <c>/done</c> parses as an absolute <c>file:</c> URI.</remarks>
    public bool AllowedRedirectUrisAreValid() => AllowedRedirectUris.All(uri =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && !parsed.IsFile && parsed.Fragment.Length == 0);
}
