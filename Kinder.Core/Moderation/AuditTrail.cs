using System.Text.Json;
using Kinder.Core.Data;
using Microsoft.AspNetCore.Http;

namespace Kinder.Core.Moderation;

/// <summary>
/// The one way to write the audit log: <see cref="Record"/> adds the row to the caller's unit of work, so it commits
/// with the action's own <c>SaveChanges</c> (or transaction) or not at all. The address and user agent come from the
/// current request (the client's address behind a configured proxy, ForwardedHeadersSetup); none outside one.
/// </summary>
public sealed class AuditTrail(KinderDbContext db, TimeProvider time, IHttpContextAccessor? http = null)
{
    public AuditLog Record(string action, Guid? actorId, string? targetType = null, object? targetId = null,
        object? data = null)
    {
        var request = http?.HttpContext;
        var entry = new AuditLog
        {
            ActorId = actorId,
            Action = action,
            TargetType = targetType,
            TargetId = Truncate(targetId?.ToString(), AuditLog.MaxTargetIdLength),
            Ip = Truncate(request?.Connection.RemoteIpAddress?.ToString(), AuditLog.MaxIpLength),
            UserAgent = Truncate(request?.Request.Headers.UserAgent.ToString(), AuditLog.MaxUserAgentLength),
            Data = data is null ? "{}" : JsonSerializer.Serialize(data, JsonSerializerOptions.Web),
            CreatedAt = time.GetUtcNow(),
        };
        db.AuditLogs.Add(entry);
        return entry;
    }

    private static string? Truncate(string? value, int length) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];
}
