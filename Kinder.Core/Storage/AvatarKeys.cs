namespace Kinder.Core.Storage;

/// <summary>
/// Where a user's avatar objects live: <c>avatars/{userId}/{guid}-512.webp</c> and its <c>-128.webp</c> thumbnail.
/// A fresh guid per upload, so a cached old picture is never served for a new one.
/// </summary>
public static class AvatarKeys
{
    public const int Size = 512;
    public const int ThumbnailSize = 128;
    private const string Extension = ".webp";

    /// <summary>Every avatar object of the user is under this prefix, including any a failed clean-up left behind.</summary>
    public static string PrefixOf(Guid userId) => $"avatars/{userId}/";

    public static (string Avatar, string Thumbnail) New(Guid userId)
    {
        var stem = $"{PrefixOf(userId)}{Guid.NewGuid():N}";
        return ($"{stem}-{Size}{Extension}", $"{stem}-{ThumbnailSize}{Extension}");
    }

    /// <summary>Both objects of a stored avatar key (the user row keeps the 512 px one).</summary>
    public static IReadOnlyList<string> ObjectsOf(string avatarKey) =>
        avatarKey.EndsWith($"-{Size}{Extension}", StringComparison.Ordinal)
            ? [avatarKey, $"{avatarKey[..^$"-{Size}{Extension}".Length]}-{ThumbnailSize}{Extension}"]
            : [avatarKey];

    public static string ThumbnailOf(string avatarKey) => ObjectsOf(avatarKey)[^1];
}
