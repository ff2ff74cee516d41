using System.Net;
using System.Net.Http.Json;
using Kinder.Core;
using Kinder.Core.Data;
using Kinder.Core.Moderation;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Kinder.Tests.Moderation;

/// <summary>
/// Who reaches /admin: every route is enumerated from the Api's own endpoints, so a route added later is covered.
/// Every admin action is audited once, and the audit log cannot be altered through the services' database role.
/// </summary>
public sealed class AdminAccessTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private List<(string Method, string Path)> AdminRoutes() =>
        api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText!.StartsWith("/api/v1/admin", StringComparison.Ordinal))
            .SelectMany(endpoint => endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods
                .Select(method => (method, endpoint.RoutePattern.RawText!.Replace("{id:guid}", Guid.NewGuid().ToString()))))
            .ToList();

    private static bool IsModeration(string path) => path.StartsWith("/api/v1/admin/moderation/", StringComparison.Ordinal);

    [Fact]
    public async Task A_user_gets_403_on_every_admin_route_and_a_moderator_on_every_one_but_moderation()
    {
        var routes = AdminRoutes();
        Assert.True(routes.Count >= 15, $"only {routes.Count} admin routes found");
        var user = api.CreateClientFor(await api.CreateUserAsync());
        var (_, moderator) = await api.CreateStaffAsync("moderator");

        foreach (var (method, path) in routes)
        {
            var asUser = await SendAsync(user, method, path);
            await asUser.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
            var asModerator = await SendAsync(moderator, method, path);
            if (IsModeration(path))
                Assert.NotEqual(HttpStatusCode.Forbidden, asModerator.StatusCode);
            else
                await asModerator.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        }
    }

    [Fact]
    public async Task Every_admin_action_is_audited_once()
    {
        var (admin, adminClient) = await api.CreateStaffAsync("admin");
        var target = await api.CreateUserAsync();

        Assert.Equal(HttpStatusCode.OK, (await adminClient.PostAsJsonAsync($"/api/v1/admin/users/{target.Id}/suspend",
            new { until = DateTimeOffset.UtcNow.AddDays(3), reason = "Spam" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await adminClient.PostAsync($"/api/v1/admin/users/{target.Id}/reinstate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await adminClient.PostAsJsonAsync($"/api/v1/admin/users/{target.Id}/ban",
            new { reason = "Scam" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await adminClient.PutAsJsonAsync($"/api/v1/admin/users/{target.Id}/roles",
            new { roles = new[] { "user", "moderator" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await adminClient.PostAsync($"/api/v1/admin/users/{target.Id}/reset-password", null)).StatusCode);
        var broadcast = await adminClient.PostAsJsonAsync("/api/v1/admin/broadcasts",
            new { title = "Hello", body = "New features", audience = new { city = "Berlin" } });
        Assert.Equal(HttpStatusCode.Accepted, broadcast.StatusCode);
        var broadcastId = (await broadcast.ReadJsonAsync()).GetProperty("id").GetGuid();

        foreach (var action in new[] { AuditActions.UserSuspended, AuditActions.UserReinstated, AuditActions.UserBanned,
                     AuditActions.RolesChanged, AuditActions.PasswordResetSent })
        {
            Assert.True(await api.AuditCountAsync(action, target.Id) == 1, action);
        }
        Assert.Equal(1, await api.AuditCountAsync(AuditActions.BroadcastCreated, broadcastId));
        var logs = await adminClient.GetJsonAsync($"/api/v1/admin/audit-logs?actorId={admin.Id}&action={AuditActions.UserBanned}");
        var entry = Assert.Single(logs.GetProperty("items").EnumerateArray());
        Assert.Equal(target.Id.ToString(), entry.GetProperty("targetId").GetString());
        var listed = await adminClient.GetJsonAsync("/api/v1/admin/broadcasts");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), b => b.GetProperty("id").GetGuid() == broadcastId);
    }

    [Fact]
    public async Task The_last_admin_cannot_lose_the_role()
    {
        await using (var db = TestDatabases.CreateContext(api.DatabaseConnectionString))
        {
            // Only this test's admin: the others of this fixture's database lose the role first.
            await db.Users.Where(u => u.Roles.Contains("admin")).ExecuteUpdateAsync(set => set.SetProperty(u => u.Roles, new List<string> { "user" }));
        }
        var (admin, adminClient) = await api.CreateStaffAsync("admin");

        var response = await adminClient.PutAsJsonAsync($"/api/v1/admin/users/{admin.Id}/roles", new { roles = new[] { "user" } });

        await response.AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.LastAdmin);
    }

    [Fact]
    public async Task The_audit_log_cannot_be_altered_through_the_apps_database_role_and_its_trigger_refuses_even_the_owner()
    {
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KinderDbContext>();
        Assert.Equal(ApplicationRole.DefaultName,
            new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).Username);
        scope.ServiceProvider.GetRequiredService<AuditTrail>().Record("test.entry", null, "test", Guid.NewGuid());
        await db.SaveChangesAsync(); // the app's role inserts

        // The role the services connect as: no row changes, and none of the owner's ways around the trigger.
        foreach (var statement in new[]
                 {
                     "UPDATE audit_logs SET action = 'tampered'", "DELETE FROM audit_logs", "TRUNCATE audit_logs",
                     "ALTER TABLE audit_logs DISABLE TRIGGER ALL", "DROP TRIGGER audit_logs_no_update_or_delete ON audit_logs",
                     "DROP TABLE audit_logs", "SET session_replication_role = replica",
                 })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync(statement));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }

        // The owner (the migrator's login) may change the schema, but the trigger still refuses row changes.
        await using var owner = TestDatabases.CreateContext(api.DatabaseConnectionString);
        foreach (var statement in new[] { "UPDATE audit_logs SET action = 'tampered'", "DELETE FROM audit_logs",
                     "TRUNCATE audit_logs" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => owner.Database.ExecuteSqlRawAsync(statement));
            Assert.Contains("append-only", refused.MessageText);
        }
        Assert.True(await db.AuditLogs.AnyAsync(log => log.Action == "test.entry"));
    }

    [Fact]
    public async Task Dashboard_and_analytics_answer_with_counts()
    {
        var (_, adminClient) = await api.CreateStaffAsync("admin");

        var dashboard = await adminClient.GetJsonAsync("/api/v1/admin/dashboard");
        var analytics = await adminClient.GetJsonAsync(
            $"/api/v1/admin/analytics?from={DateTime.UtcNow.AddDays(-89):yyyy-MM-dd}&to={DateTime.UtcNow:yyyy-MM-dd}&interval=day");
        var weekly = await adminClient.GetJsonAsync("/api/v1/admin/analytics?interval=week");

        Assert.True(dashboard.GetProperty("users").GetProperty("total").GetInt64() >= 1);
        Assert.Equal(90, analytics.GetProperty("series").GetArrayLength());
        Assert.True(analytics.GetProperty("series")[89].GetProperty("signups").GetInt64() >= 1);
        Assert.InRange(weekly.GetProperty("series").GetArrayLength(), 5, 6);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path) =>
        client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method is "POST" or "PUT" ? JsonContent.Create(new { }) : null,
        });
}
