using Kinder.Core.Data;
using Kinder.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Onboarding;

/// <summary>Records step outcomes and sets <see cref="User.OnboardingCompletedAt"/> once the flow is complete.</summary>
public sealed class OnboardingTracker(KinderDbContext db, TimeProvider time)
{
    public async Task<IReadOnlyDictionary<string, OnboardingStepState>> GetStatesAsync(Guid userId,
        CancellationToken cancellationToken) =>
        await db.OnboardingSteps.AsNoTracking()
            .Where(progress => progress.UserId == userId)
            .ToDictionaryAsync(progress => progress.Step, progress => progress.State, cancellationToken);

    /// <summary>
    /// Marks a step done or skipped in the current unit of work (the caller saves, holding the user's row lock).
    /// A done step stays done when skipped afterwards: what it saved is kept.
    /// </summary>
    public async Task MarkAsync(User user, string step, OnboardingStepState state, string? data,
        CancellationToken cancellationToken)
    {
        // Local, not the query: a step marked earlier in this unit of work is tracked but not yet in the database.
        await db.OnboardingSteps.Where(progress => progress.UserId == user.Id).LoadAsync(cancellationToken);
        var rows = db.OnboardingSteps.Local.Where(progress => progress.UserId == user.Id).ToList();
        var row = rows.FirstOrDefault(progress => progress.Step == step);
        if (row is null)
        {
            row = new OnboardingStepProgress { UserId = user.Id, Step = step };
            db.OnboardingSteps.Add(row);
            rows.Add(row);
        }
        if (state == OnboardingStepState.Done || row.State != OnboardingStepState.Done)
        {
            row.State = state;
            row.Data = data ?? row.Data;
        }
        row.UpdatedAt = time.GetUtcNow();

        if (user.OnboardingCompletedAt is null &&
            OnboardingSteps.IsComplete(rows.ToDictionary(progress => progress.Step, progress => progress.State)))
        {
            user.OnboardingCompletedAt = time.GetUtcNow();
            user.UpdatedAt = time.GetUtcNow();
        }
    }
}
