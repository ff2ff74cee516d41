using System.Security.Claims;
using Kinder.Core.Data;
using Kinder.Core.Devices;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Devices;

/// <summary>
/// Registers a push token for the caller: new token 201; a token already known (this user's or another's: the phone
/// changed hands or accounts) 200, now the caller's with the platform and app version given. One upsert on the unique
/// token (a racing registration of the same token updates instead of failing), then an update of the existing row.
/// </summary>
public sealed class RegisterDevice(KinderDbContext db, TimeProvider time)
{
    public async Task<Results<Created<DeviceResponse>, Ok<DeviceResponse>>> HandleAsync(RegisterDeviceRequest request,
        ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var platform = request.ParsedPlatform() == DevicePlatform.Apns ? RegisterDeviceRequest.Apns : RegisterDeviceRequest.Fcm;
        var token = request.NormalizedToken();
        var now = time.GetUtcNow();
        var created = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO devices (id, user_id, platform, token, app_version, created_at, last_seen_at)
            VALUES ({Guid.CreateVersion7()}, {userId}, {platform}, {token}, {request.AppVersion}, {now}, {now})
            ON CONFLICT (token) DO NOTHING
            """, cancellationToken) == 1;
        if (!created)
        {
            await db.Devices.Where(d => d.Token == token).ExecuteUpdateAsync(device => device
                .SetProperty(d => d.UserId, userId)
                .SetProperty(d => d.Platform, request.ParsedPlatform())
                .SetProperty(d => d.AppVersion, request.AppVersion)
                .SetProperty(d => d.LastSeenAt, now), cancellationToken);
        }
        var row = await db.Devices.AsNoTracking().Where(d => d.Token == token)
            .Select(d => new { d.Id, d.CreatedAt }).SingleAsync(cancellationToken);
        var response = new DeviceResponse(row.Id, platform, token, request.AppVersion, row.CreatedAt, now);
        return created ? TypedResults.Created($"/api/v1/devices/{Uri.EscapeDataString(token)}", response) : TypedResults.Ok(response);
    }
}
