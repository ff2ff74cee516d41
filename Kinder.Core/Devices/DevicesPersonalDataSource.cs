using Kinder.Core.Data;
using Kinder.Core.PersonalData;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Devices;

/// <summary>A user's registered phones (platform, app version, when); erasing removes them, so nothing is pushed after.</summary>
public sealed class DevicesPersonalDataSource(KinderDbContext db) : IPersonalDataSource
{
    public string Section => "devices";

    public async Task<object?> ExportAsync(Guid userId, CancellationToken cancellationToken)
    {
        var devices = await db.Devices.AsNoTracking().Where(d => d.UserId == userId).OrderBy(d => d.CreatedAt)
            .Select(d => new { d.Platform, d.AppVersion, d.CreatedAt, d.LastSeenAt }).ToListAsync(cancellationToken);
        return devices.Count == 0 ? null : devices.Select(d => new
        {
            platform = d.Platform == DevicePlatform.Apns ? "apns" : "fcm", d.AppVersion, d.CreatedAt, d.LastSeenAt,
        });
    }

    public Task EraseAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Devices.Where(d => d.UserId == userId).ExecuteDeleteAsync(cancellationToken);
}
