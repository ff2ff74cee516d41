namespace Kinder.StripeFake;

/// <summary>
/// A request's form body as Stripe.net encodes it: flat keys, nested ones in brackets
/// (<c>metadata[user_id]=…</c>, <c>transfer_data[destination]=…</c>).
/// </summary>
public sealed class StripeForm(IReadOnlyDictionary<string, string> values)
{
    public static async Task<StripeForm> ReadAsync(HttpRequest request)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync())
            {
                values[key] = value.ToString();
            }
        }
        foreach (var (key, value) in request.Query)
        {
            values.TryAdd(key, value.ToString());
        }
        return new StripeForm(values);
    }

    public string? this[string key] => values.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    public long? Long(string key) => long.TryParse(this[key], out var number) ? number : null;

    public bool Flag(string key) => string.Equals(this[key], "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The members of a bracketed hash: <c>Hash("metadata")</c> for <c>metadata[a]=1&amp;metadata[b]=2</c>.</summary>
    public Dictionary<string, string> Hash(string name)
    {
        var prefix = name + "[";
        return values.Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal) && pair.Key.EndsWith(']'))
            .ToDictionary(pair => pair.Key[prefix.Length..^1], pair => pair.Value);
    }
}
