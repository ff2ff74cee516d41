using System.ComponentModel.DataAnnotations;

namespace Kinder.Api.Identity;

/// <summary>API.md, Auth: at least 8 characters with an upper-case letter, a lower-case letter and a digit.</summary>
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
}

/// <summary>Validates a request member against <see cref="PasswordPolicy"/>, as a field-level error.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PasswordPolicyAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var password = value as string;
        if (password?.Length > PasswordPolicy.MaximumLength)
        {
            return new ValidationResult($"The password must be at most {PasswordPolicy.MaximumLength} characters.");
        }
        var missing = PasswordPolicy.Shortcomings(password);
        return missing.Count == 0
            ? ValidationResult.Success
            : new ValidationResult($"The password needs {string.Join(", ", missing)}.");
    }
}
