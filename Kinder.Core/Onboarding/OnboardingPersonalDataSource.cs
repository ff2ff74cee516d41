using System.Text.Json;
using Kinder.Core.Data;
using Kinder.Core.PersonalData;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Onboarding;

/// <summary>The user's onboarding progress and what its steps recorded (the recharge choice).</summary>
public sealed class OnboardingPersonalDataSource(KinderDbContext db) : IPersonalDataSource
{
    public string Section => "onboarding";

    public async Task<object?> ExportAsync(Guid userId, CancellationToken cancellationToken)
    {
        var rows = await db.OnboardingSteps.AsNoTracking()
            .Where(progress => progress.UserId == userId)
            .OrderBy(progress => progress.UpdatedAt)
            .ToListAsync(cancellationToken);
        return rows.Count == 0
            ? null
            : rows.Select(progress => new
            {
                progress.Step,
                State = progress.State.ToString().ToLowerInvariant(),
                Data = progress.Data is null ? (JsonElement?)null : JsonDocument.Parse(progress.Data).RootElement.Clone(),
                progress.UpdatedAt,
            }).ToList();
    }

    public Task EraseAsync(Guid userId, CancellationToken cancellationToken) =>
        db.OnboardingSteps.Where(progress => progress.UserId == userId).ExecuteDeleteAsync(cancellationToken);
}
