using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.AspNetCore.Http.Metadata;

namespace Kinder.Core.Validation;

/// <summary>
/// What text Kinder accepts at all: no control characters but tab, CR and LF, and no unpaired surrogates — PostgreSQL
/// refuses U+0000 and strict UTF-8 encoders refuse lone surrogates, so such text would fail later, far from the request
/// (docs/decisions/0009). Every request argument is walked by <see cref="Find"/> (the Api's validation filter, the
/// chat path for the hub), so no request type can forget it. Names shown to others (titles, display names) also refuse
/// the bidi controls that reorder what surrounds them (<see cref="PlainName{T}"/>).
/// </summary>
public static class SafeText
{
    public const string UnsafeMessage = "Contains a control character or an invalid (unpaired surrogate) character.";
    public const string BidiMessage = "Must not contain bidirectional override or isolate characters.";

    /// <summary>True when <paramref name="text"/> holds no control character but tab, CR, LF and no unpaired surrogate.</summary>
    public static bool IsSafe(string? text)
    {
        if (text is null)
            return true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) && c is not ('\t' or '\r' or '\n'))
                return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                    return false;
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>True when <paramref name="text"/> holds no bidi embedding/override (U+202A–U+202E) or isolate (U+2066–U+2069).</summary>
    public static bool HasNoBidiControls(string? text) =>
        text is null || !text.Any(c => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069');

    /// <summary>A title or name others see: safe text without bidi controls.</summary>
    public static IRuleBuilderOptions<T, TText> PlainName<T, TText>(this IRuleBuilder<T, TText> rule) where TText : class? =>
        rule.Must(text => HasNoBidiControls(text as string)).WithMessage(BidiMessage);

    /// <summary>
    /// The fields of <paramref name="value"/> (a string, a Kinder request record, a list or JSON of them) that hold unsafe
    /// text, named as the client spells them (<c>location.city</c>, <c>imageKeys[0]</c>); <paramref name="name"/> is the
    /// value's own name, empty for a body.
    /// </summary>
    public static IDictionary<string, string[]> Find(object? value, string name = "")
    {
        var errors = new Dictionary<string, string[]>();
        Walk(value, name, errors, depth: 0);
        return errors;
    }

    private const int MaxDepth = 16;

    private static void Walk(object? value, string path, Dictionary<string, string[]> errors, int depth)
    {
        if (value is null || depth > MaxDepth)
            return;
        switch (value)
        {
            case string text:
                if (!IsSafe(text))
                    errors[path.Length == 0 ? "body" : path] = [UnsafeMessage];
                return;
            case JsonElement element:
                WalkJson(element, path, errors, depth);
                return;
            case JsonNode node:
                WalkJson(JsonSerializer.SerializeToElement(node), path, errors, depth);
                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = entry.Key.ToString() ?? "";
                    var field = Member(path, key);
                    if (!IsSafe(key))
                        errors[field] = [UnsafeMessage];
                    Walk(entry.Value, field, errors, depth + 1);
                }
                return;
            case IEnumerable items:
                var index = 0;
                foreach (var item in items)
                    Walk(item, $"{path}[{index++}]", errors, depth + 1);
                return;
        }
        foreach (var (property, isBody) in Properties(value.GetType()))
            Walk(property.GetValue(value), isBody ? path : Member(path, JsonNamingPolicy.CamelCase.ConvertName(property.Name)),
                errors, depth + 1);
    }

    private static void WalkJson(JsonElement element, string path, Dictionary<string, string[]> errors, int depth)
    {
        if (depth > MaxDepth)
            return;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                Walk(element.GetString(), path, errors, depth);
                break;
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    var field = Member(path, member.Name);
                    if (!IsSafe(member.Name))
                        errors[field] = [UnsafeMessage];
                    WalkJson(member.Value, field, errors, depth + 1);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                    WalkJson(item, $"{path}[{index++}]", errors, depth + 1);
                break;
        }
    }

    private static string Member(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, bool IsBody)[]> PropertyCache = new();

    /// <summary>
    /// The readable properties of Kinder's own request records that can hold text; other types (numbers, dates, ids,
    /// the framework's, service bundles, which are classes) hold none a client wrote. A member bound from the body of an
    /// <c>[AsParameters]</c> record names its fields as the body does.
    /// </summary>
    private static (PropertyInfo Property, bool IsBody)[] Properties(Type type) => PropertyCache.GetOrAdd(type, static type =>
    {
        if (type.Namespace?.StartsWith("Kinder.", StringComparison.Ordinal) != true || type.IsEnum || !IsRecord(type))
            return [];
        var bodyParameters = type.GetConstructors()
            .SelectMany(constructor => constructor.GetParameters())
            .Where(parameter => parameter.GetCustomAttributes().OfType<IFromBodyMetadata>().Any())
            .Select(parameter => parameter.Name)
            .ToHashSet(StringComparer.Ordinal);
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.CanRead && property.GetIndexParameters().Length == 0 && MayHoldText(property.PropertyType))
            .Select(property => (property, bodyParameters.Contains(property.Name)))
            .ToArray();
    });

    /// <summary>Records (class or struct) — what Kinder's requests are; service bundles are plain classes.</summary>
    private static bool IsRecord(Type type) =>
        type.GetMethod("<Clone>$") is not null
        || (type.IsValueType && type.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Instance) is not null);

    private static bool MayHoldText(Type type) =>
        type == typeof(string) || type == typeof(JsonElement) || type == typeof(JsonElement?) || typeof(JsonNode).IsAssignableFrom(type)
        || (type.Namespace?.StartsWith("Kinder.", StringComparison.Ordinal) == true && !type.IsEnum)
        || (typeof(IEnumerable).IsAssignableFrom(type) && type != typeof(byte[]));
}
