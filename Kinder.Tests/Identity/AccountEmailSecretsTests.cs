using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Identity;

/// <summary>The outbox rows the Api writes for account emails hold nothing that verifies an address or resets a password.</summary>
public sealed class AccountEmailSecretsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task No_value_in_the_outbox_rows_of_a_sign_up_and_a_reset_request_verifies_or_resets()
    {
        var email = Accounts.NewEmail();
        await _client.RegisterAsync(email);
        Assert.Equal(HttpStatusCode.Accepted,
            (await _client.PostAsJsonAsync("/api/v1/auth/forgot-password", new { email })).StatusCode);

        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var payloads = await db.OutboxMessages.Where(message => message.Topic == Topics.Email && message.Key == email)
            .Select(message => message.Payload).ToListAsync();
        Assert.Equal(2, payloads.Count);
        var values = payloads.SelectMany(payload => Strings(JsonDocument.Parse(payload).RootElement)).Distinct().ToList();
        foreach (var value in values)
        {
            var verify = await _client.PostAsJsonAsync("/api/v1/auth/verify-email", new { token = value });
            Assert.NotEqual(HttpStatusCode.NoContent, verify.StatusCode);
            var reset = await _client.PostAsJsonAsync("/api/v1/auth/reset-password", new { token = value, newPassword = Accounts.OtherPassword });
            Assert.NotEqual(HttpStatusCode.NoContent, reset.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await _client.PostLoginAsync(email)).StatusCode); // the password is unchanged
    }

    /// <summary>Every string in the document, and each query parameter's value of those that are links.</summary>
    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(property => Strings(property.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        JsonValueKind.String => [element.GetString()!, .. QueryValues(element.GetString()!)],
        _ => [],
    };

    private static IEnumerable<string> QueryValues(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? System.Web.HttpUtility.ParseQueryString(uri.Query).AllKeys.Select(key => System.Web.HttpUtility.ParseQueryString(uri.Query)[key]!)
            : [];
}
