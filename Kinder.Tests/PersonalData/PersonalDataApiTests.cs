using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Kinder.Api.PersonalData;
using Kinder.Core;
using Kinder.Messaging;
using Kinder.Core.PersonalData;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.PersonalData;

/// <summary>GET /users/me/export and DELETE /users/me, in the Api.</summary>
public sealed class PersonalDataApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_export_holds_the_account_and_sessions_and_no_secrets()
    {
        var user = await TestAccounts.CreateAsync(api.DatabaseConnectionString);
        var tokenHash = await TestAccounts.AddRefreshTokenAsync(api.DatabaseConnectionString, user.Id);

        var response = await ClientFor(user).GetAsync("/api/v1/users/me/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var export = JsonDocument.Parse(text).RootElement;
        var account = export.GetProperty("account");
        Assert.Equal(user.Id, account.GetProperty("id").GetGuid());
        Assert.Equal(user.Email, account.GetProperty("email").GetString());
        Assert.Equal("Poetical science.", account.GetProperty("bio").GetString());
        Assert.Equal("1990-12-10", account.GetProperty("birthDate").GetString());
        Assert.Equal("London", account.GetProperty("city").GetString());
        Assert.True(account.GetProperty("hasPassword").GetBoolean());
        var session = Assert.Single(export.GetProperty("sessions").GetProperty("refreshTokens").EnumerateArray());
        Assert.True(session.TryGetProperty("expiresAt", out _));
        Assert.False(session.TryGetProperty("revokedAt", out _)); // live: null, so omitted
        Assert.True(export.TryGetProperty("exportedAt", out _));
        Assert.DoesNotContain(TestAccounts.PasswordHash, text);
        Assert.DoesNotContain(Convert.ToBase64String(tokenHash), text);
        Assert.DoesNotContain(Convert.ToHexString(tokenHash), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hash", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_export_has_a_section_for_every_personal_data_source()
    {
        var user = await TestAccounts.CreateAsync(api.DatabaseConnectionString);
        using var scope = api.Services.CreateScope();
        var sections = scope.ServiceProvider.GetServices<IPersonalDataSource>().Select(source => source.Section).ToList();

        var export = JsonDocument.Parse(await ClientFor(user).GetStringAsync("/api/v1/users/me/export")).RootElement;

        Assert.Contains("account", sections);
        Assert.Contains("sessions", sections);
        Assert.All(sections, section => Assert.True(export.TryGetProperty(section, out _), $"No '{section}' section."));
    }

    [Fact]
    public async Task The_export_without_a_token_is_unauthorized()
    {
        var response = await api.CreateClient().GetAsync("/api/v1/users/me/export");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task After_deleting_the_account_its_access_token_is_refused_as_revoked()
    {
        var user = await TestAccounts.CreateAsync(api.DatabaseConnectionString);
        var client = ClientFor(user);

        var deletion = await client.DeleteAsync("/api/v1/users/me");

        Assert.Equal(HttpStatusCode.NoContent, deletion.StatusCode);
        var response = await client.GetAsync("/api/v1/users/me/export");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.TokenRevoked);
    }

    [Fact]
    public async Task Deleting_the_account_revokes_every_refresh_token_marks_it_deleted_and_queues_the_erasure()
    {
        var user = await TestAccounts.CreateAsync(api.DatabaseConnectionString);
        await TestAccounts.AddRefreshTokenAsync(api.DatabaseConnectionString, user.Id);
        await TestAccounts.AddRefreshTokenAsync(api.DatabaseConnectionString, user.Id);

        var response = await ClientFor(user).DeleteAsync("/api/v1/users/me");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var tokens = await db.RefreshTokens.Where(token => token.UserId == user.Id).ToListAsync();
        Assert.Equal(2, tokens.Count);
        Assert.All(tokens, token => Assert.Equal(PersonalDataApi.DeletionRevokedReason, token.RevokedReason));
        Assert.NotNull((await db.Users.SingleAsync(u => u.Id == user.Id)).DeletedAt);
        var message = await db.OutboxMessages.SingleAsync(m => m.Key == user.Id.ToString());
        Assert.Equal(Topics.Users, message.Topic);
        Assert.Equal("UserDeletionRequested", message.Type);
        Assert.Equal(user.Id, JsonSerializer.Deserialize<UserDeletionRequestedIntegrationEvent>(message.Payload, JsonSerializerOptions.Web)!.UserId);
    }

    [Fact]
    public async Task Deleting_one_account_leaves_other_users_tokens_working()
    {
        var leaving = await TestAccounts.CreateAsync(api.DatabaseConnectionString);
        var staying = await TestAccounts.CreateAsync(api.DatabaseConnectionString);

        Assert.Equal(HttpStatusCode.NoContent, (await ClientFor(leaving).DeleteAsync("/api/v1/users/me")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await ClientFor(staying).GetAsync("/api/v1/users/me/export")).StatusCode);
    }

    [Fact]
    public async Task Deleting_without_a_token_is_unauthorized()
    {
        var response = await api.CreateClient().DeleteAsync("/api/v1/users/me");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    private HttpClient ClientFor(Kinder.Core.Identity.User user)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(user).Token);
        return client;
    }
}
