using FluentValidation;

namespace Kinder.Api.Identity;

/// <summary>The password rule (docs/api/README.md, Auth): at least 8 characters with an upper-case letter, a lower-case letter and a digit.</summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 8;

    /// <summary>Bounds the work one request can ask of the hasher; far beyond any real password.</summary>
    public const int MaximumLength = 128;

    /// <summary>What the password lacks, in words; empty when it meets the policy.</summary>
    public static IReadOnlyList<string> Shortcomings(string? password)
    {
        password ??= "";
        var missing = new List<string>();
        if (password.Length < MinimumLength)
        {
            missing.Add($"at least {MinimumLength} characters");
        }
        if (!password.Any(char.IsUpper))
        {
            missing.Add("an upper-case letter");
        }
        if (!password.Any(char.IsLower))
        {
            missing.Add("a lower-case letter");
        }
        if (!password.Any(char.IsDigit))
        {
            missing.Add("a digit");
        }
        return missing;
    }

    /// <summary>The password field's rule, one message naming all it lacks.</summary>
    public static IRuleBuilderOptionsConditions<T, string> MeetsPasswordPolicy<T>(this IRuleBuilder<T, string> rule) =>
        rule.Custom((password, context) =>
        {
            if (password?.Length > MaximumLength)
            {
                context.AddFailure($"The password must be at most {MaximumLength} characters.");
                return;
            }
            var missing = Shortcomings(password);
            if (missing.Count > 0)
            {
                context.AddFailure($"The password needs {string.Join(", ", missing)}.");
            }
        });
}
