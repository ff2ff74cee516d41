using FluentValidation;

namespace Kinder.Api.Infrastructure;

/// <summary>
/// The list convention (docs/api/README.md, Conventions): <c>?limit=</c> (default 20, at most 100) and an opaque
/// <c>?cursor=</c>, checked by the list's query validator with the two rules here; the handler then reads the page size
/// and decodes the cursor.
/// </summary>
public static class Paging
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary><c>limit</c>: 1 to <see cref="MaxLimit"/>, <see cref="DefaultLimit"/> when absent.</summary>
    public static IRuleBuilderOptions<T, int?> ValidPageSize<T>(this IRuleBuilder<T, int?> rule) =>
        rule.Must(limit => PageSize(limit) is >= 1 and <= MaxLimit)
            .WithMessage($"The limit is between 1 and {MaxLimit}.");

    /// <summary>
    /// <c>cursor</c>: absent, or one this list handed out — <paramref name="tryDecode"/> is the cursor type's
    /// <c>TryDecode</c> (<c>cursor =&gt; BlockCursor.TryDecode(cursor, out _)</c>).
    /// </summary>
    public static IRuleBuilderOptions<T, string?> KnownCursor<T>(this IRuleBuilder<T, string?> rule,
        Func<string?, bool> tryDecode, string message = "Not a cursor this list gave out.") =>
        rule.Must(cursor => tryDecode(cursor)).WithMessage(message);

    /// <summary>The page size asked for, or the default.</summary>
    public static int PageSize(int? limit) => limit ?? DefaultLimit;
}
