using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Api.Identity;
using Kinder.Core.Email;
using Kinder.Core.Identity;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Identity;

/// <summary>Signing up and in through the Api, and reading what it mailed (the outbox rows), for the identity tests.</summary>
internal static class Accounts
{
    public const string Password = "Correct-Horse-9";
    public const string OtherPassword = "Battery-Staple-7";

    public static string NewEmail() => $"user-{Guid.NewGuid():N}@example.test";

    public static Task<HttpResponseMessage> PostRegisterAsync(this HttpClient client, string email, string password = Password,
        string displayName = "Ada Lovelace") =>
        client.PostAsJsonAsync("/api/v1/auth/register", new { email, password, displayName });

    public static async Task<AuthSessionResponse> RegisterAsync(this HttpClient client, string? email = null)
    {
        var response = await client.PostRegisterAsync(email ?? NewEmail());
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<AuthSessionResponse>())!;
    }

    public static Task<HttpResponseMessage> PostLoginAsync(this HttpClient client, string email, string password = Password) =>
        client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });

    public static async Task<AuthSessionResponse> LoginAsync(this HttpClient client, string email, string password = Password)
    {
        var response = await client.PostLoginAsync(email, password);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<AuthSessionResponse>())!;
    }

    public static Task<HttpResponseMessage> PostRefreshAsync(this HttpClient client, string? refreshToken) =>
        client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken });

    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, string? accessToken,
        object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> GetMeAsync(this HttpClient client, string accessToken) =>
        client.SendAsync(HttpMethod.Get, "/api/v1/auth/me", accessToken);

    /// <summary>The emails queued for an address, oldest first, as the outbox holds them.</summary>
    public static async Task<List<EmailRequestedIntegrationEvent>> MailsToAsync(string databaseConnectionString, string email)
    {
        await using var db = TestDatabases.CreateContext(databaseConnectionString);
        var payloads = await db.OutboxMessages
            .Where(message => message.Topic == Topics.Email && message.Key == email)
            .OrderBy(message => message.Sequence)
            .Select(message => message.Payload)
            .ToListAsync();
        return payloads.Select(payload => JsonSerializer.Deserialize<EmailRequestedIntegrationEvent>(payload, JsonSerializerOptions.Web)!)
            .ToList();
    }

    /// <summary>
    /// The token the newest queued email of a template would carry: minted as Workers mint it when they send
    /// (these hosts have no Workers). Minting again retires the value minted before.
    /// </summary>
    public static async Task<string> MailedTokenAsync(string databaseConnectionString, string email, string template)
    {
        var mail = (await MailsToAsync(databaseConnectionString, email)).LastOrDefault(mail => mail.Template == template);
        Assert.True(mail is not null, $"No {template} email was queued for {email}.");
        return await MintAsync(databaseConnectionString, mail);
    }

    /// <summary>The token of a queued email with a link, minted as Workers mint it at send time.</summary>
    public static async Task<string> MintAsync(string databaseConnectionString, EmailRequestedIntegrationEvent mail)
    {
        Assert.True(mail.AccountTokenId is not null, $"The {mail.Template} email names no account token.");
        await using var db = TestDatabases.CreateContext(databaseConnectionString);
        var minted = await new AccountTokenMint(db, TimeProvider.System).MintAsync(mail.AccountTokenId.Value, CancellationToken.None);
        Assert.True(minted is not null, $"The account token of the {mail.Template} email can no longer be minted.");
        return minted.Value;
    }
}
