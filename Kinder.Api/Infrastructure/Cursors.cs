using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kinder.Api.Infrastructure;

/// <summary>
/// Opaque page cursors, one format for every list: a small record as base64url JSON. A cursor comes back from the
/// client, so decoding is strict — every constructor member present, nothing else, nulls only where the record allows
/// them — and anything else is null, which callers answer with a 400 on <c>cursor</c>. The strictness also keeps one
/// list's cursor from passing as another's: their records have different members.
/// </summary>
public static class Cursors
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static string Encode<T>(T position) where T : class =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(position, Json));

    /// <summary>The position <paramref name="cursor"/> names; null when there is none or it is not a <typeparamref name="T"/>.</summary>
    public static T? Decode<T>(string? cursor) where T : class
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<T>(Base64Url.DecodeFromChars(cursor), Json);
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>False only for a cursor that is there but not a <typeparamref name="T"/>; no cursor is the first page.</summary>
    public static bool TryDecode<T>(string? cursor, out T? position) where T : class
    {
        position = Decode<T>(cursor);
        return position is not null || string.IsNullOrEmpty(cursor);
    }
}
