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
/// token, so two registrations racing end as one row.
/// </summary>
public sealed class RegisterDevice(KinderDbContext db, TimeProvider time)
{
    public async Task<Results<Created<DeviceResponse>, Ok<DeviceResponse>>> HandleAsync(RegisterDeviceRequest request,
        ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var platform = request.ParsedPlatform == DevicePlatform.Apns ? RegisterDeviceRequest.Apns : RegisterDeviceRequest.Fcm;
        var token = request.NormalizedToken;
        var now = time.GetUtcNow();
        // xmax = 0 only on a row this statement inserted (an updated row carries the updating transaction's id).
        var row = (await db.Database.SqlQuery<UpsertedDevice>($"""
            INSERT INTO devices (id, user_id, platform, token, app_version, created_at, last_seen_at)
            VALUES ({Guid.CreateVersion7()}, {userId}, {platform}, {token}, {request.AppVersion}, {now}, {now})
            ON CONFLICT (token) DO UPDATE SET user_id = excluded.user_id, platform = excluded.platform,
                app_version = excluded.app_version, last_seen_at = excluded.last_seen_at
            RETURNING id AS "Id", created_at AS "CreatedAt", (xmax = 0) AS "Created"
            """).ToListAsync(cancellationToken)).Single();
        var response = new DeviceResponse(row.Id, platform, token, request.AppVersion, row.CreatedAt, now);
        return row.Created ? TypedResults.Created($"/api/v1/devices/{Uri.EscapeDataString(token)}", response) : TypedResults.Ok(response);
    }

    private sealed record UpsertedDevice(Guid Id, DateTimeOffset CreatedAt, bool Created);
}
