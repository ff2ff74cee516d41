using System.Security.Cryptography;

namespace Kinder.StripeFake;

/// <summary>Ids shaped like Stripe's: a type prefix and random letters (<c>pi_3Q…</c>, <c>evt_1P…</c>).</summary>
public static class StripeIds
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string New(string prefix) => $"{prefix}_{RandomNumberGenerator.GetString(Alphabet, 24)}";

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
