using FluentValidation;
using Kinder.Core.Data;
using Kinder.Core.Preferences;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Preferences;

/// <summary>Rules for preference sections, shared by the preferences and onboarding validators.</summary>
public static class PreferenceValidation
{
    public const int MaxInterests = 50;

    /// <summary>At most <see cref="MaxInterests"/> distinct ids, each an interest in the catalog.</summary>
    public static IRuleBuilderOptionsConditions<T, List<int>?> KnownInterests<T>(this IRuleBuilder<T, List<int>?> rule,
        KinderDbContext db, bool requireOne) =>
        rule.CustomAsync(async (ids, context, cancellationToken) =>
        {
            if (ids is null)
            {
                return;
            }
            if (requireOne && ids.Count == 0)
            {
                context.AddFailure("Choose at least one interest.");
                return;
            }
            var distinct = ids.Distinct().ToList();
            if (distinct.Count > MaxInterests)
            {
                context.AddFailure($"Choose at most {MaxInterests} interests.");
                return;
            }
            var known = await db.Interests.AsNoTracking().Where(interest => distinct.Contains(interest.Id))
                .Select(interest => interest.Id).ToListAsync(cancellationToken);
            var unknown = distinct.Except(known).ToList();
            if (unknown.Count > 0)
            {
                context.AddFailure($"Unknown interest ids: {string.Join(", ", unknown)}.");
            }
        });

    public static IRuleBuilderOptionsConditions<T, List<string>?> KnownReasons<T>(this IRuleBuilder<T, List<string>?> rule,
        bool requireOne) =>
        rule.Custom((reasons, context) =>
        {
            if (reasons is null)
            {
                return;
            }
            if (requireOne && reasons.Count == 0)
            {
                context.AddFailure("Choose at least one reason.");
            }
            if (!AllAllowed(reasons, Motivations.All))
            {
                context.AddFailure(AllowedValues(Motivations.All));
            }
        });

    /// <summary>Every value, trimmed and lower-cased, is one of <paramref name="allowed"/>; no list is not checked.</summary>
    public static IRuleBuilderOptions<T, TList> OneOf<T, TList>(this IRuleBuilder<T, TList> rule,
        IReadOnlyList<string> allowed) where TList : IEnumerable<string?>? =>
        rule.Must(values => values is null || AllAllowed(values, allowed)).WithMessage(AllowedValues(allowed));

    public static bool IsAllowed(string? value, IReadOnlyList<string> allowed) =>
        value is not null && allowed.Contains(value.Trim().ToLowerInvariant());

    public static string AllowedValues(IReadOnlyList<string> allowed) => $"Allowed values: {string.Join(", ", allowed)}.";

    private static bool AllAllowed(IEnumerable<string?> values, IReadOnlyList<string> allowed) =>
        values.All(value => IsAllowed(value, allowed));
}
