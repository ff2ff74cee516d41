using System.Text.Json;
using Kinder.Core.Data;
using Kinder.Core.PersonalData;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Preferences;

/// <summary>Every stored preference section, as stored (key → JSON), so nothing held is left out of an export.</summary>
public sealed class PreferencesPersonalDataSource(KinderDbContext db) : IPersonalDataSource
{
    public string Section => "preferences";

    public async Task<object?> ExportAsync(Guid userId, CancellationToken cancellationToken)
    {
        var rows = await db.UserPreferences.AsNoTracking()
            .Where(preference => preference.UserId == userId)
            .OrderBy(preference => preference.Key)
            .ToListAsync(cancellationToken);
        return rows.Count == 0
            ? null
            : rows.ToDictionary(preference => preference.Key,
                preference => JsonDocument.Parse(preference.Value).RootElement.Clone());
    }

    public Task EraseAsync(Guid userId, CancellationToken cancellationToken) =>
        db.UserPreferences.Where(preference => preference.UserId == userId).ExecuteDeleteAsync(cancellationToken);
}
