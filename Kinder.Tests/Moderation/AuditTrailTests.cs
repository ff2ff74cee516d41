using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core.Email;
using Kinder.Core.Moderation;
using Kinder.Tests.Identity;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Moderation;

/// <summary>
/// The account side of the audit log: sign-in and its failure, refresh-token reuse, logout, password reset and account
/// deletion each leave one row with the user as actor, found by <c>GET /admin/audit-logs</c> by actor, action and time.
/// </summary>
public sealed class AuditTrailTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task An_accounts_sensitive_actions_are_audited_once_and_found_by_actor_action_and_time()
    {
        var client = api.CreateClient();
        var email = Accounts.NewEmail();
        var registered = await client.RegisterAsync(email);
        var userId = registered.User.Id;
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostLoginAsync(email, "not-the-password-1")).StatusCode);
        var session = await client.LoginAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await client.PostRefreshAsync(session.RefreshToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostRefreshAsync(session.RefreshToken)).StatusCode); // reuse
        var again = await client.LoginAsync(email);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Post, "/api/v1/auth/logout",
            again.AccessToken, new { refreshToken = again.RefreshToken })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/auth/forgot-password", new { email })).StatusCode);
        var token = await Accounts.MailedTokenAsync(api.DatabaseConnectionString, email, EmailTemplates.PasswordReset);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/v1/auth/reset-password",
            new { token, newPassword = Accounts.OtherPassword })).StatusCode);
        var last = await client.LoginAsync(email, Accounts.OtherPassword);
        Assert.Equal(HttpStatusCode.NoContent,
            (await client.SendAsync(HttpMethod.Delete, "/api/v1/users/me", last.AccessToken)).StatusCode);
        var end = DateTimeOffset.UtcNow.AddSeconds(1);

        await using (var db = TestDatabases.CreateContext(api.DatabaseConnectionString))
        {
            var actions = await db.AuditLogs.Where(log => log.ActorId == userId).Select(log => log.Action).ToListAsync();
            Assert.Equal(1, actions.Count(action => action == AuditActions.SignInFailed));
            Assert.Equal(3, actions.Count(action => action == AuditActions.SignIn));
            Assert.Equal(1, actions.Count(action => action == AuditActions.RefreshTokenReused));
            Assert.Equal(1, actions.Count(action => action == AuditActions.Logout));
            Assert.Equal(1, actions.Count(action => action == AuditActions.PasswordReset));
            Assert.Equal(1, actions.Count(action => action == AuditActions.AccountDeleted));
        }
        var (_, admin) = await api.CreateStaffAsync("admin");
        var byActor = Items(await admin.GetJsonAsync($"/api/v1/admin/audit-logs?actorId={userId}&limit=100"));
        Assert.Equal(8, byActor.Count);
        Assert.Equal(byActor.OrderByDescending(item => item.GetProperty("createdAt").GetDateTimeOffset()).Select(Id),
            byActor.Select(Id)); // newest first
        var failures = Items(await admin.GetJsonAsync(
            $"/api/v1/admin/audit-logs?actorId={userId}&action={AuditActions.SignInFailed}"));
        Assert.Equal(AuditActions.SignInFailed, Assert.Single(failures).GetProperty("action").GetString());
        var inTime = Items(await admin.GetJsonAsync($"/api/v1/admin/audit-logs?actorId={userId}&limit=100" +
            $"&from={Uri.EscapeDataString(start.ToString("O"))}&to={Uri.EscapeDataString(end.ToString("O"))}"));
        Assert.Equal(8, inTime.Count);
        var before = Items(await admin.GetJsonAsync($"/api/v1/admin/audit-logs?actorId={userId}" +
            $"&to={Uri.EscapeDataString(start.AddMinutes(-5).ToString("O"))}"));
        Assert.Empty(before);
    }

    private static List<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray().ToList();

    private static Guid Id(JsonElement item) => item.GetProperty("id").GetGuid();
}
