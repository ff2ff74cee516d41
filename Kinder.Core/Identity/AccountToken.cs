namespace Kinder.Core.Identity;

public enum AccountTokenPurpose
{
    EmailVerification,
    PasswordReset,
}

/// <summary>
/// A single-use token mailed to a user (verify the address, reset the password). The Api creates the row without a
/// value; Workers mint the value when they send the email (<see cref="AccountTokenMint"/>) and store only its SHA-256
/// hash, so the value exists in the email alone — never in the outbox or on Kafka. Used once (<see cref="UsedAt"/>),
/// and dead after <see cref="ExpiresAt"/>.
/// </summary>
public sealed class AccountToken
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid UserId { get; init; }
    public required AccountTokenPurpose Purpose { get; init; }

    /// <summary>Null until the email is sent: no link works before then.</summary>
    public byte[]? TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public required DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? UsedAt { get; set; }
}
