using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Kinder.Api.Identity.Google;

/// <summary>
/// Google's ID-token signing keys, from the JWKS its discovery document (<see cref="GoogleOptions.DiscoveryUri"/>)
/// names, kept and refreshed by IdentityModel's <see cref="ConfigurationManager{T}"/>: again after
/// <see cref="GoogleOptions.KeySetLifetime"/>, sooner when a token names a key we do not have (Google rotated), at
/// most once per <see cref="GoogleOptions.MinimumKeySetRefreshInterval"/>; when a refresh fails the keys held stay in
/// use. One instance per process (singleton); the fetches go through a named, resilient HttpClient.
/// </summary>
/// <remarks>
/// Refreshes block the request that asked (Kinder.Api.csproj sets IdentityModel's <c>UpdateConfigAsBlocking</c>
/// switch), so a token signed with a key Google just rotated in is accepted at once, not on a later request.
/// </remarks>
public sealed class GoogleSigningKeys
{
    public const string HttpClientName = "google-jwks";

    private readonly ConfigurationManager<OpenIdConnectConfiguration> _configuration;

    public GoogleSigningKeys(IHttpClientFactory httpClients, IOptions<GoogleOptions> options)
    {
        var google = options.Value;
        var documents = new HttpDocumentRetriever(httpClients.CreateClient(HttpClientName))
        {
            RequireHttps = !google.DiscoveryUri.IsLoopback, // the tests' fake Google is plain http on loopback
        };
        _configuration = new ConfigurationManager<OpenIdConnectConfiguration>(google.DiscoveryUri.ToString(),
            new OpenIdConnectConfigurationRetriever(), documents)
        {
            AutomaticRefreshInterval = Max(google.KeySetLifetime, BaseConfigurationManager.MinimumAutomaticRefreshInterval),
            RefreshInterval = Max(google.MinimumKeySetRefreshInterval, BaseConfigurationManager.MinimumRefreshInterval),
        };
    }

    public async Task<IReadOnlyList<SecurityKey>> GetAsync(CancellationToken cancellationToken) =>
        [.. (await _configuration.GetConfigurationAsync(cancellationToken)).SigningKeys];

    /// <summary>Fetches the keys again unless that was done very recently; returns the keys to use.</summary>
    public Task<IReadOnlyList<SecurityKey>> RefreshForUnknownKeyAsync(CancellationToken cancellationToken)
    {
        _configuration.RequestRefresh();
        return GetAsync(cancellationToken);
    }

    private static TimeSpan Max(TimeSpan configured, TimeSpan least) => configured > least ? configured : least;
}
