namespace Kinder.Api.Infrastructure;

/// <summary>API.md's list convention: <c>?limit=</c> (default 20, at most 100) and an opaque <c>?cursor=</c>.</summary>
public static class Paging
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>The page size asked for (or the default), noting a <c>limit</c> error when it is out of range.</summary>
    public static int PageSize(this FieldErrors errors, int? limit)
    {
        var size = limit ?? DefaultLimit;
        if (size is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"The limit is between 1 and {MaxLimit}.");
        }
        return size;
    }

    /// <summary>Notes that <c>cursor</c> is not one this list handed out.</summary>
    public static FieldErrors UnknownCursor(this FieldErrors errors) =>
        errors.Add("cursor", "Not a cursor this list gave out.");
}
