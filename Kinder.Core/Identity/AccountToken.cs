namespace Kinder.Core.Identity;

public enum AccountTokenPurpose
{
    EmailVerification,
    PasswordReset,
}

/// <summary>
/// A single-use token mailed to a user (verify the address, reset the password). Only its SHA-256 hash is stored;
/// the value exists in the email alone. Used once (<see cref="UsedAt"/>), and dead after <see cref="ExpiresAt"/>.
/// </summary>
public sealed class AccountToken
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid UserId { get; init; }
    public required AccountTokenPurpose Purpose { get; init; }
    public required byte[] TokenHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public required DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? UsedAt { get; set; }
}
