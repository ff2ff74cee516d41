using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;

namespace Kinder.Core.Identity;

/// <summary>
/// The secrets Kinder hands out and keeps only hashed (refresh tokens, account tokens): 32 random bytes, base64url,
/// stored as their SHA-256.
/// </summary>
public static class SecretTokens
{
    public static string NewValue() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string value) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value));
}
