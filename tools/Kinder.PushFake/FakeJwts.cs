using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kinder.PushFake;

/// <summary>Reads a compact JWS and checks its signature the way Google (RS256) and Apple (ES256) do.</summary>
public static class FakeJwts
{
    /// <summary>The header and claims if <paramref name="jwt"/> is well formed, of <paramref name="algorithm"/> and signed with <paramref name="key"/>.</summary>
    public static (JsonObject Header, JsonObject Claims)? Verify(string jwt, string algorithm, AsymmetricAlgorithm key)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
            return null;
        try
        {
            var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))?.AsObject();
            var claims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))?.AsObject();
            var signature = Base64Url.DecodeFromChars(parts[2]);
            if (header is null || claims is null || (string?)header["alg"] != algorithm)
                return null;
            var input = Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}");
            var valid = key switch
            {
                RSA rsa when algorithm == "RS256" => rsa.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                ECDsa ecdsa when algorithm == "ES256" => ecdsa.VerifyData(input, signature, HashAlgorithmName.SHA256),
                _ => false,
            };
            return valid ? (header, claims) : null;
        }
        catch (Exception exception) when (exception is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    public static long? Seconds(JsonObject claims, string name) =>
        claims[name] is JsonValue value && value.TryGetValue<long>(out var seconds) ? seconds : null;
}
