using System.Net;
using System.Net.Http.Json;
using Kinder.Core;
using Kinder.Core.Identity;
using Kinder.Tests.Events;
using Kinder.Tests.Identity;
using Kinder.Tests.Infrastructure;
using Kinder.Tests.Realtime;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Moderation;

/// <summary>
/// A suspension takes effect at once: the user's open hub connection closes (Realtime, sharing the run's Redis with
/// the Api), their next request is 401 ACCOUNT_SUSPENDED, their upcoming events are hidden; reinstatement restores.
/// </summary>
public sealed class SuspensionTests(ApiFactory api, RealtimeFactory realtime)
    : IClassFixture<ApiFactory>, IClassFixture<RealtimeFactory>
{
    [Fact]
    public async Task A_suspended_users_hub_connection_closes_and_their_next_request_is_account_suspended()
    {
        var user = await api.CreateUserAsync();
        // The same account in Realtime's own database (one database per test host).
        await using (var realtimeDb = TestDatabases.CreateContext(realtime.DatabaseConnectionString))
        {
            realtimeDb.Users.Add(new User { Id = user.Id, Email = user.Email, DisplayName = user.DisplayName, EmailVerified = true });
            await realtimeDb.SaveChangesAsync();
        }
        var userClient = api.CreateClientFor(user);
        var eventId = (await userClient.CreateEventAsync(EventsDriver.ValidEvent())).GetProperty("id").GetGuid();
        await using var connection = await realtime.ConnectAsync(user);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        var (_, adminClient) = await api.CreateStaffAsync("admin");
        var viewer = api.CreateClientFor(await api.CreateUserAsync());
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/events/{eventId}")).StatusCode);
        var until = DateTimeOffset.UtcNow.AddDays(2);

        var suspended = await adminClient.PostAsJsonAsync($"/api/v1/admin/users/{user.Id}/suspend", new { until, reason = "Abuse" });

        Assert.Equal(HttpStatusCode.OK, suspended.StatusCode);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var problem = await (await userClient.GetAsync("/api/v1/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized,
            ErrorCodes.AccountSuspended);
        Assert.Equal(until.ToUnixTimeSeconds(), problem.GetProperty("until").GetDateTimeOffset().ToUnixTimeSeconds());
        // A fresh token (a new sign-in elsewhere) is refused too, and the hub refuses to connect.
        var fresh = api.CreateClientFor(user);
        await (await fresh.GetAsync("/api/v1/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.AccountSuspended);
        await Assert.ThrowsAnyAsync<Exception>(() => realtime.ConnectAsync(user));
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync($"/api/v1/events/{eventId}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await adminClient.PostAsync($"/api/v1/admin/users/{user.Id}/reinstate", null)).StatusCode);

        var again = api.CreateClientFor(user); // a new sign-in: the old sessions were revoked
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/events/{eventId}")).StatusCode);
    }

    [Fact]
    public async Task A_banned_user_cannot_sign_in_and_is_told_so()
    {
        var client = api.CreateClient();
        var email = Accounts.NewEmail();
        var session = await client.RegisterAsync(email);
        var (_, adminClient) = await api.CreateStaffAsync("admin");
        await using (var db = TestDatabases.CreateContext(api.DatabaseConnectionString))
        {
            var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            Assert.Equal(HttpStatusCode.OK, (await adminClient.PostAsJsonAsync($"/api/v1/admin/users/{id}/ban",
                new { reason = "Scam" })).StatusCode);
        }

        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Accounts.Password });

        var problem = await login.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.AccountSuspended);
        Assert.True(problem.GetProperty("banned").GetBoolean());
        Assert.NotNull(session.AccessToken);
    }
}
