using System.Text.Json;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Writes a health report as small JSON. Anyone gets the overall status (and the status code, all that probes and
/// the AppHost read); each check's name, status and duration — which dependencies a host has and which one is down —
/// go to operators only: a caller signed in with the admin role, or a request to the management port
/// (<c>Health:DetailPort</c>, a port the host listens on that only operators reach; unset by default).
/// </summary>
internal static class HealthResponseWriter
{
    public const string DetailPortKey = "Health:DetailPort";

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        object body = ShowsDetail(context)
            ? new
            {
                status = report.Status.ToString(),
                totalDurationMs = report.TotalDuration.TotalMilliseconds,
                checks = report.Entries.ToDictionary(
                    entry => entry.Key,
                    entry => new { status = entry.Value.Status.ToString(), durationMs = entry.Value.Duration.TotalMilliseconds }),
            }
            : new { status = report.Status.ToString() };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }

    private static bool ShowsDetail(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true && context.User.IsInRole(KinderRoles.Admin))
            return true;
        var detailPort = context.RequestServices.GetRequiredService<IConfiguration>().GetValue<int?>(DetailPortKey);
        return detailPort is > 0 && context.Connection.LocalPort == detailPort;
    }
}
