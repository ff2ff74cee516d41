using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kinder.Workers.Push;

/// <summary>The compact JWS both push services ask for: RS256 (Google's JWT-bearer grant) and ES256 (APNs).</summary>
internal static class Jwts
{
    public static string SignRs256(JsonObject claims, RSA key) =>
        Sign(new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT" }, claims,
            input => key.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    /// <summary>ES256's signature is r‖s (IEEE P1363), which is what <see cref="ECDsa.SignData(byte[], HashAlgorithmName)"/> gives.</summary>
    public static string SignEs256(JsonObject header, JsonObject claims, ECDsa key)
    {
        header["alg"] = "ES256";
        return Sign(header, claims, input => key.SignData(input, HashAlgorithmName.SHA256));
    }

    private static string Sign(JsonObject header, JsonObject claims, Func<byte[], byte[]> sign)
    {
        var signingInput = $"{Encode(header)}.{Encode(claims)}";
        return $"{signingInput}.{Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(signingInput)))}";
    }

    private static string Encode(JsonObject json) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(json));
}
