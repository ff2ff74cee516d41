namespace Kinder.Core.Identity;

/// <summary>
/// One refresh token, stored only as its SHA-256 hash. Tokens are rotated on every use; all tokens descending from
/// one sign-in share a <see cref="FamilyId"/>, so presenting a rotated token again revokes the whole family.
/// </summary>
public sealed class RefreshToken
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid UserId { get; init; }
    public required Guid FamilyId { get; init; }
    public required byte[] TokenHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public required DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedReason { get; set; }
    public Guid? ReplacedById { get; set; }
}
