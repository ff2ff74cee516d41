using System.Net;
using System.Net.Http.Json;
using Kinder.Api.Identity;
using Kinder.Core;
using Kinder.Core.Email;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Identity;

/// <summary>
/// The per-user cut-off (docs/api/README.md, Auth): a password reset and a refresh-token reuse end every access token
/// the user held, at once; the tokens issued afterwards work.
/// </summary>
public sealed class SessionCutOffTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task A_password_reset_refuses_the_access_tokens_issued_before_it_and_not_the_next_sign_in()
    {
        var email = Accounts.NewEmail();
        var before = await _client.RegisterAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetMeAsync(before.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted,
            (await _client.PostAsJsonAsync("/api/v1/auth/forgot-password", new { email })).StatusCode);
        var token = await Accounts.MailedTokenAsync(api.DatabaseConnectionString, email, EmailTemplates.PasswordReset);

        var reset = await _client.PostAsJsonAsync("/api/v1/auth/reset-password",
            new { token, newPassword = Accounts.OtherPassword });

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        await (await _client.GetMeAsync(before.AccessToken)).AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.TokenRevoked);
        // Signed in again right away, within the second of the reset: the new token is not cut off.
        var after = await _client.LoginAsync(email, Accounts.OtherPassword);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetMeAsync(after.AccessToken)).StatusCode);
    }

    [Fact]
    public async Task A_reused_refresh_token_refuses_every_access_token_of_the_user()
    {
        var session = await _client.RegisterAsync();
        var rotated = (await (await _client.PostRefreshAsync(session.RefreshToken)).Content.ReadFromJsonAsync<TokenPairResponse>())!;
        Assert.Equal(HttpStatusCode.OK, (await _client.GetMeAsync(rotated.AccessToken)).StatusCode);

        var replayed = await _client.PostRefreshAsync(session.RefreshToken);

        await replayed.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.TokenRevoked);
        await (await _client.GetMeAsync(session.AccessToken)).AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.TokenRevoked);
        await (await _client.GetMeAsync(rotated.AccessToken)).AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.TokenRevoked);
    }
}
