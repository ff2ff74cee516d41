using Kinder.Api.Identity.Google;
using Microsoft.Extensions.Configuration;

namespace Kinder.Tests.Identity.Google;

public sealed class GoogleOptionsTests
{
    private static GoogleOptions Bind(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(GoogleOptions.SectionName).Get<GoogleOptions>()
        ?? new GoogleOptions();

    [Fact]
    public void Without_configured_issuers_both_of_googles_spellings_are_accepted()
    {
        var options = Bind(new() { ["Google:ClientId"] = "client" });

        Assert.Equal(["https://accounts.google.com", "accounts.google.com"], options.ValidIssuers);
    }

    [Fact]
    public void Configured_issuers_replace_googles()
    {
        var options = Bind(new() { ["Google:Issuers:0"] = "https://issuer.test" });

        Assert.Equal(["https://issuer.test"], options.ValidIssuers);
    }

    [Fact]
    public void Redirect_uris_are_allowed_only_by_exact_match()
    {
        var options = Bind(new() { ["Google:AllowedRedirectUris:0"] = "https://app.test/done" });

        Assert.True(options.IsAllowedRedirectUri("https://app.test/done"));
        Assert.False(options.IsAllowedRedirectUri("https://app.test/done/../evil"));
        Assert.False(options.IsAllowedRedirectUri("https://APP.test/done"));
        Assert.False(options.IsAllowedRedirectUri("https://app.test/done?next=https://evil.test"));
    }

    [Theory]
    [InlineData("https://app.test/done#already")]
    [InlineData("/relative/path")]
    public void An_allow_list_entry_with_a_fragment_or_without_a_scheme_fails_validation(string uri)
    {
        var options = Bind(new() { ["Google:AllowedRedirectUris:0"] = uri });

        Assert.False(options.AllowedRedirectUrisAreValid());
    }
}
