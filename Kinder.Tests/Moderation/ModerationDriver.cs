using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core.Identity;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Moderation;

/// <summary>Moderators, admins, reports and resolutions through the Api, for the trust-and-safety tests.</summary>
public static class ModerationDriver
{
    public static async Task<(User User, HttpClient Client)> CreateStaffAsync(this ApiFactory api, string role)
    {
        var user = await api.CreateUserAsync(u => u.Roles = [KinderRoles.User, role]);
        return (user, api.CreateClientFor(user));
    }

    public static async Task<Guid> ReportAsync(this HttpClient reporter, string targetType, Guid targetId,
        string reason = "harassment", HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await reporter.PostAsJsonAsync("/api/v1/reports",
            new { targetType, targetId, reason, details = "Not okay." });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }

    public static async Task<JsonElement> ResolveAsync(this HttpClient moderator, Guid reportId, string action,
        int? days = null)
    {
        var response = await moderator.PostAsJsonAsync($"/api/v1/admin/moderation/reports/{reportId}/resolve",
            new { action, note = "Checked.", days });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>The audit log rows of an action on a target, read straight from the database.</summary>
    public static async Task<int> AuditCountAsync(this ApiFactory api, string action, Guid targetId)
    {
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var target = targetId.ToString();
        return await db.AuditLogs.CountAsync(log => log.Action == action && log.TargetId == target);
    }
}
