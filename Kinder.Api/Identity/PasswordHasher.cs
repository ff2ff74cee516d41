using Microsoft.Extensions.Options;
using BCryptHasher = BCrypt.Net.BCrypt;

namespace Kinder.Api.Identity;

/// <summary>
/// bcrypt with the configured work factor. The "enhanced" variant hashes the password with SHA-384 first, so bcrypt's
/// 72-byte truncation never makes two long passwords equal.
/// </summary>
public sealed class PasswordHasher(IOptions<AuthOptions> options)
{
    private const BCrypt.Net.HashType PreHash = BCrypt.Net.HashType.SHA384;

    // Checked against when there is no hash to check (unknown email), so that answer takes as long as a wrong password.
    private readonly Lazy<string> _decoy = new(() =>
        BCryptHasher.EnhancedHashPassword(Guid.NewGuid().ToString(), options.Value.BcryptWorkFactor, PreHash));

    public string Hash(string password) => BCryptHasher.EnhancedHashPassword(password, options.Value.BcryptWorkFactor, PreHash);

    public bool Verify(string password, string? hash)
    {
        if (string.IsNullOrEmpty(hash))
        {
            BCryptHasher.EnhancedVerify(password, _decoy.Value, PreHash);
            return false;
        }
        return BCryptHasher.EnhancedVerify(password, hash, PreHash);
    }
}
