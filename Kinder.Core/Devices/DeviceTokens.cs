namespace Kinder.Core.Devices;

/// <summary>
/// What a push token looks like, per service: the Api refuses malformed ones at registration, the push fake refuses
/// them as the service would.
/// </summary>
public static class DeviceTokens
{
    public const int ApnsTokenLength = 64;
    public const int MinFcmTokenLength = 16;

    /// <summary>APNs: 32 bytes, sent as 64 hex characters.</summary>
    public static bool IsApnsToken(string token) => token.Length == ApnsTokenLength && token.All(char.IsAsciiHexDigit);

    /// <summary>FCM registration tokens are opaque but URL-safe (in practice ~150-200 characters of base64url and ':').</summary>
    public static bool IsFcmToken(string token) =>
        token.Length is >= MinFcmTokenLength and <= DeviceEntityTypeConfiguration.MaxTokenLength
        && token.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '_' or '-' or '.');
}
