using Kinder.Core.RateLimiting;

namespace Kinder.Api.Identity;

/// <summary>Email-and-password accounts (section <c>Auth</c>).</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";
    public const int MinimumBcryptWorkFactor = 11;

    /// <summary>bcrypt cost (2^n rounds); at least 11. Raise it as hardware gets faster; old hashes keep verifying.</summary>
    public int BcryptWorkFactor { get; set; } = 12;

    public TimeSpan EmailVerificationTokenLifetime { get; set; } = TimeSpan.FromHours(24);
    public TimeSpan PasswordResetTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// forgot-password never answers sooner than this, known email or not, so its timing says nothing about which
    /// addresses have accounts. Keep it above the slowest real run (a lookup, an insert, a commit).
    /// </summary>
    public TimeSpan ForgotPasswordMinimumDuration { get; set; } = TimeSpan.FromMilliseconds(500);

    public AuthRateLimits RateLimits { get; set; } = new();

    public LoginThrottleOptions LoginThrottle { get; set; } = new();

    public bool IsValid =>
        BcryptWorkFactor is >= MinimumBcryptWorkFactor and <= 31 &&
        EmailVerificationTokenLifetime > TimeSpan.Zero && PasswordResetTokenLifetime > TimeSpan.Zero &&
        ForgotPasswordMinimumDuration >= TimeSpan.Zero &&
        RateLimits.FailedLogins.IsValid && RateLimits.FailedLoginsPerAddress.IsValid && LoginThrottle.IsValid &&
        RateLimits.Registrations.IsValid &&
        RateLimits.ForgotPasswords.IsValid && RateLimits.VerificationEmails.IsValid;
}

/// <summary>Abuse limits, counted in Redis across every Api instance (section <c>Auth:RateLimits</c>).</summary>
public sealed class AuthRateLimits
{
    /// <summary>Failed sign-ins per email and client address.</summary>
    public RateLimitRule FailedLogins { get; set; } = new(5, TimeSpan.FromMinutes(15));

    /// <summary>Failed sign-ins per client address, whatever the accounts: caps one address trying many.</summary>
    public RateLimitRule FailedLoginsPerAddress { get; set; } = new(50, TimeSpan.FromMinutes(15));

    /// <summary>Sign-ups per client address.</summary>
    public RateLimitRule Registrations { get; set; } = new(20, TimeSpan.FromHours(1));

    /// <summary>Password-reset requests per client address.</summary>
    public RateLimitRule ForgotPasswords { get; set; } = new(5, TimeSpan.FromMinutes(15));

    /// <summary>Verification emails resent per user.</summary>
    public RateLimitRule VerificationEmails { get; set; } = new(3, TimeSpan.FromMinutes(15));
}
