using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Kinder.Core.Identity;
using Kinder.Tests.Chat;
using Kinder.Tests.Events;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;

namespace Kinder.Tests.Api;

/// <summary>
/// Walks the served OpenAPI document and sends every operation malformed variants of each parameter and body field —
/// wrong types, nulls, huge and negative numbers, overlong and control-character strings, bad ids and cursors — one at a
/// time from a valid-ish baseline. Whatever arrives, the Api answers below 500 (or a 5xx the operation documents, such as
/// Google being unreachable), and every error is problem+json with a <c>code</c> (docs/api/README.md, Conventions).
/// </summary>
public sealed class OpenApiRobustnessTests(ApiFactory api, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    /// <summary>Stands for an unpaired surrogate, which no JSON writer will write: replaced in the serialized text.</summary>
    private const string LoneSurrogate = "__LONE_SURROGATE__";

    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    private sealed record Operation(string Method, string Path, JsonObject Definition);

    private sealed record Probe(string Label, HttpMethod Method, string Url, string? Body, string ContentType = "application/json");

    [Fact]
    public async Task Malformed_input_to_every_operation_is_never_a_5xx_and_always_a_problem_with_a_code()
    {
        using var anonymous = api.CreateClient();
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var operations = (from path in document["paths"]!.AsObject()
                          from method in Methods
                          where path.Value![method] is JsonObject
                          select new Operation(method, path.Key, path.Value![method]!.AsObject())).ToList();
        Assert.True(operations.Count > 50, $"only {operations.Count} operations in the document");

        // Real ids where they are cheap: a public event, another user, and (per operation) a conversation with them.
        var users = await TestUsers.CreateManyAsync(api.DatabaseConnectionString, operations.Count + 2);
        var (organizer, other) = (users[^2], users[^1]);
        var eventId = (await api.CreateClientFor(organizer).CreateEventAsync(EventsDriver.ValidEvent()))
            .GetProperty("id").GetGuid();

        // Each operation has a user of its own (its rate limits, its deletion), probes go out in parallel.
        var probes = new List<(HttpClient Client, Operation Operation, Probe Probe)>();
        for (var index = 0; index < operations.Count; index++)
        {
            var (operation, client) = (operations[index], ClientFor(users[index]));
            Guid? conversationId = operation.Path.StartsWith("/api/v1/conversations/{id}", StringComparison.Ordinal)
                ? await client.DirectAsync(other.Id)
                : null;
            var context = new ProbeContext(document, eventId, other.Id, conversationId);
            probes.AddRange(Probes(operation, context).Select(probe => (client, operation, probe)));
        }
        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(probes, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (item, _) =>
        {
            if (await CheckAsync(item.Client, item.Operation, item.Probe) is { } failure)
                failures.Add(failure);
        });
        var sent = probes.Count;
        output.WriteLine($"{sent} probes to {operations.Count} operations");

        Assert.True(sent > 1000, $"only {sent} probes sent");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {sent} probes failed:\n" + string.Join("\n", failures.Order().Take(80)));
    }

    private HttpClient ClientFor(User user)
    {
        // Redirects (Google's callback) are answers, not something to follow.
        var client = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(user).Token);
        return client;
    }

    private static async Task<string?> CheckAsync(HttpClient client, Operation operation, Probe probe)
    {
        using var request = new HttpRequestMessage(probe.Method, probe.Url);
        if (probe.Body is not null)
        {
            request.Content = new StringContent(probe.Body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(probe.ContentType);
        }
        var where = $"{operation.Method.ToUpperInvariant()} {operation.Path} [{probe.Label}]";
        try
        {
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            // A 5xx is only acceptable where the contract names it (an upstream such as Google being unavailable).
            if (status >= 500 && operation.Definition["responses"]?[status.ToString()] is null)
                return $"{where} → {status}: {Truncate(text)}";
            if (status < 400)
                return null;
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                return $"{where} → {status} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}: {Truncate(text)}";
            var code = JsonNode.Parse(text)?["code"]?.GetValue<string>();
            return string.IsNullOrEmpty(code) ? $"{where} → {status} without a code: {Truncate(text)}" : null;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return $"{where} → {exception.GetType().Name}: {exception.Message}";
        }
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private sealed record ProbeContext(JsonObject Document, Guid EventId, Guid OtherUserId, Guid? ConversationId);

    private static IEnumerable<Probe> Probes(Operation operation, ProbeContext context)
    {
        var method = new HttpMethod(operation.Method.ToUpperInvariant());
        var parameters = (operation.Definition["parameters"]?.AsArray() ?? new JsonArray()).Select(p => p!.AsObject()).ToList();
        var pathValues = parameters.Where(p => (string?)p["in"] == "path")
            .ToDictionary(p => (string)p["name"]!, p => PathBaseline(operation.Path, (string)p["name"]!, context));
        var bodySchema = operation.Definition["requestBody"]?["content"]?["application/json"]?["schema"] as JsonObject;
        var baseline = bodySchema is null ? null : BodyBaseline(operation, bodySchema, context);
        var baselineJson = baseline?.ToJsonString();

        string Url(IReadOnlyDictionary<string, string> path, string? query)
        {
            var url = path.Aggregate(operation.Path, (url, value) => url.Replace($"{{{value.Key}}}", value.Value));
            return query is null ? url : $"{url}?{query}";
        }

        yield return new Probe("baseline", method, Url(pathValues, null), baselineJson);

        foreach (var parameter in parameters)
        {
            var name = (string)parameter["name"]!;
            var schema = Resolve(context.Document, parameter["schema"]);
            foreach (var (label, value) in ParameterValues(schema, name))
            {
                if ((string?)parameter["in"] == "path")
                {
                    // TestServer refuses to send a path with %00 at all (Kestrel answers such a path 400 itself); %01 is tried.
                    if (label == "nul")
                        continue;
                    var path = new Dictionary<string, string>(pathValues) { [name] = value };
                    yield return new Probe($"{name}={label}", method, Url(path, null), baselineJson);
                }
                else if ((string?)parameter["in"] == "query")
                {
                    yield return new Probe($"{name}={label}", method, Url(pathValues, $"{name}={value}"), baselineJson);
                }
            }
        }

        if (operation.Definition["requestBody"] is JsonObject requestBody && bodySchema is null)
        {
            // Multipart (the profile picture): its own tests cover files; here only that JSON or junk is refused cleanly.
            foreach (var junk in new[] { "{}", "not a form" })
                yield return new Probe($"body={junk}", method, Url(pathValues, null), junk,
                    requestBody["content"]!.AsObject().First().Key + "; boundary=x");
            yield break;
        }
        if (baseline is null)
            yield break;

        foreach (var (label, raw) in WholeBodies())
            yield return new Probe($"body={label}", method, Url(pathValues, null), raw);
        yield return new Probe("body as text/plain", method, Url(pathValues, null), baselineJson, "text/plain");

        foreach (var (field, mutated) in FieldMutations(context.Document, bodySchema!, baseline, ""))
            yield return new Probe(field, method, Url(pathValues, null), mutated);
    }

    private static string PathBaseline(string path, string name, ProbeContext context) => name switch
    {
        "id" when path.StartsWith("/api/v1/events/", StringComparison.Ordinal) => context.EventId.ToString(),
        "id" when path.StartsWith("/api/v1/conversations/", StringComparison.Ordinal) && context.ConversationId is { } id => id.ToString(),
        "id" or "userId" when path.StartsWith("/api/v1/users/", StringComparison.Ordinal) || name == "userId" => context.OtherUserId.ToString(),
        "emoji" => Uri.EscapeDataString("👍"),
        "step" => "welcome",
        "key" => "uploads/nothing-here.png",
        "token" => "not-a-token",
        _ => Guid.NewGuid().ToString(),
    };

    private static IEnumerable<(string Label, string Value)> ParameterValues(JsonObject schema, string name)
    {
        var types = Types(schema);
        if (types.Contains("integer"))
            return [("word", "abc"), ("negative", "-1"), ("zero", "0"), ("int-overflow", "2147483648"),
                ("huge", "99999999999999999999"), ("fraction", "1.5"), ("empty", "")];
        if (types.Contains("number"))
            return [("word", "abc"), ("NaN", "NaN"), ("infinity", "Infinity"), ("huge", "1e309"), ("tiny", "-1e400"),
                ("negative", "-1"), ("empty", "")];
        if (types.Contains("boolean"))
            return [("word", "maybe"), ("number", "2"), ("empty", "")];
        IEnumerable<(string, string)> strings =
        [
            ("nul", "a%00b"), ("control", "a%01b"), ("invalid-utf8", "%ED%A0%80"), ("bidi", "%E2%80%AE"),
            ("overlong", new string('x', 5000)), ("empty", ""), ("dots", "..%2F..%2Fetc"), ("quote", "%27%22%3B--"),
            ("percent", "%25"), ("unicode", Uri.EscapeDataString("ünïcødé 🎉")),
        ];
        if ((string?)schema["format"] == "uuid")
            strings = strings.Concat([("not-a-guid", "not-a-guid"), ("zero-guid", Guid.Empty.ToString()),
                ("random-guid", Guid.NewGuid().ToString())]);
        if ((string?)schema["format"] is "date-time" or "date" || name is "from" or "to")
            strings = strings.Concat([("bad-date", "2026-13-45"), ("min-date", "0001-01-01T00:00:00Z"),
                ("max-date", "9999-12-31T23:59:59Z"), ("date-only", "2027-01-01")]);
        if (name.Contains("cursor", StringComparison.OrdinalIgnoreCase))
            strings = strings.Concat([("garbage-cursor", "!!!"), ("base64-cursor", "AAAA"),
                ("json-cursor", "eyJ4IjoxfQ"), ("long-cursor", new string('A', 4000))]);
        return strings;
    }

    private static IEnumerable<(string Label, string Raw)> WholeBodies() =>
    [
        ("empty", ""), ("null", "null"), ("array", "[]"), ("string", "\"x\""), ("number", "42"), ("object", "{}"),
        ("truncated", "{\"a\":"), ("garbage", "not json"), ("deep", new string('[', 2000) + new string(']', 2000)),
        ("duplicate-keys", "{\"a\":1,\"a\":2}"),
    ];

    /// <summary>The body with one field at a time replaced by each malformed value, labelled by its path.</summary>
    private static IEnumerable<(string Field, string Body)> FieldMutations(JsonObject document, JsonObject schema,
        JsonNode root, string prefix, int depth = 0)
    {
        var resolved = Resolve(document, schema);
        if (resolved["properties"] is not JsonObject properties || depth > 2)
            yield break;
        foreach (var (name, propertySchema) in properties)
        {
            var field = prefix.Length == 0 ? name : $"{prefix}.{name}";
            var property = Resolve(document, propertySchema);
            foreach (var (label, value) in FieldValues(property))
            {
                var copy = root.DeepClone();
                Set(copy, field, value);
                yield return ($"{field}={label}", Serialize(copy));
            }
            // One level into objects and list items, so that location.latitude and imageKeys[0] are tried too.
            if (Types(property).Contains("object") && property["properties"] is not null)
            {
                foreach (var nested in FieldMutations(document, property, root, field, depth + 1))
                    yield return nested;
            }
            if (Types(property).Contains("array") && property["items"] is JsonObject items)
            {
                foreach (var (label, value) in FieldValues(Resolve(document, items)).Take(8))
                {
                    var copy = root.DeepClone();
                    Set(copy, field, new JsonArray(value));
                    yield return ($"{field}[0]={label}", Serialize(copy));
                }
            }
        }
    }

    private static string Serialize(JsonNode node) =>
        node.ToJsonString().Replace($"\"{LoneSurrogate}\"", "\"x\\ud800y\"", StringComparison.Ordinal);

    private static IEnumerable<(string Label, JsonNode? Value)> FieldValues(JsonObject schema)
    {
        var types = Types(schema);
        yield return ("null", null);
        yield return ("object", new JsonObject { ["x"] = 1 });
        yield return ("array", new JsonArray(1, 2));
        yield return ("true", true);
        if (types.Contains("integer") || types.Contains("number"))
        {
            yield return ("word", "abc");
            yield return ("negative", -1);
            yield return ("long-max", long.MaxValue);
            yield return ("long-min", long.MinValue);
            yield return ("huge", 1e308);
            yield return ("fraction", 1.5);
            yield return ("numeric-string", "12");
        }
        else if (types.Contains("string") || types.Contains("array") || schema["enum"] is not null)
        {
            yield return ("number", 12345);
            yield return ("empty", "");
            yield return ("nul", "a\u0000b");
            yield return ("control", "a\u001Bb");
            yield return ("lone-surrogate", LoneSurrogate);
            yield return ("bidi", "a\u202Eb");
            yield return ("overlong", new string('x', 20_000));
            yield return ("not-a-guid", "not-a-guid");
            yield return ("bad-date", "2026-13-45T25:61:00Z");
            yield return ("max-date", "9999-12-31T23:59:59Z");
            yield return ("min-date", "0001-01-01T00:00:00+14:00");
            if (types.Contains("array"))
                yield return ("many", new JsonArray(Enumerable.Range(0, 5000).Select(i => (JsonNode?)$"x{i}").ToArray()));
        }
        else if (types.Contains("boolean"))
        {
            yield return ("word", "yes");
            yield return ("number", 1);
        }
    }

    private static void Set(JsonNode root, string path, JsonNode? value)
    {
        var names = path.Split('.');
        var target = root;
        foreach (var name in names[..^1])
        {
            target[name] ??= new JsonObject();
            target = target[name]!;
            if (target is not JsonObject)
                return;
        }
        target[names[^1]] = value;
    }

    /// <summary>A body the operation would likely accept, so that mutations reach past the first check.</summary>
    private static JsonNode BodyBaseline(Operation operation, JsonObject schema, ProbeContext context)
    {
        if (operation.Path == "/api/v1/events" || operation.Path == "/api/v1/events/{id}")
            return JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(EventsDriver.ValidEvent()))!;
        if (operation.Path == "/api/v1/conversations")
            return new JsonObject { ["type"] = "group", ["memberIds"] = new JsonArray(context.OtherUserId.ToString()), ["title"] = "Crew" };
        return Example(context.Document, schema, "", 0) ?? new JsonObject();
    }

    private static JsonNode? Example(JsonObject document, JsonNode? schemaNode, string name, int depth)
    {
        var schema = Resolve(document, schemaNode);
        if (depth > 4)
            return null;
        if (schema["enum"] is JsonArray values && values.Count > 0)
            return values.First(v => v is not null)!.DeepClone();
        var types = Types(schema);
        if (types.Contains("object") || schema["properties"] is not null)
        {
            var example = new JsonObject();
            foreach (var (property, propertySchema) in schema["properties"]?.AsObject() ?? new JsonObject())
                example[property] = Example(document, propertySchema, property, depth + 1);
            return example;
        }
        if (types.Contains("array"))
            return new JsonArray();
        if (types.Contains("integer"))
            return 1;
        if (types.Contains("number"))
            return 1.5;
        if (types.Contains("boolean"))
            return true;
        return (string?)schema["format"] switch
        {
            "uuid" => Guid.NewGuid().ToString(),
            "date-time" => DateTimeOffset.UtcNow.AddDays(3).ToString("O"),
            "date" => "2000-01-01",
            _ => name switch
            {
                "email" => $"robust-{Guid.NewGuid():N}@example.test",
                "password" or "newPassword" => "Password1",
                "clientMessageId" => Guid.NewGuid().ToString(),
                _ => "test",
            },
        };
    }

    /// <summary>The schema itself: a <c>$ref</c> followed, a nullable <c>oneOf</c> reduced to its non-null branch.</summary>
    private static JsonObject Resolve(JsonObject document, JsonNode? node)
    {
        for (var i = 0; i < 10 && node is JsonObject schema; i++)
        {
            if (schema["$ref"] is JsonValue reference)
            {
                var name = ((string)reference!).Split('/')[^1];
                node = document["components"]!["schemas"]![name];
                continue;
            }
            if (schema["oneOf"] is JsonArray oneOf && oneOf.FirstOrDefault(s => (string?)s?["type"] != "null") is { } branch)
            {
                node = branch;
                continue;
            }
            return schema;
        }
        return node as JsonObject ?? new JsonObject();
    }

    private static HashSet<string> Types(JsonObject schema) => schema["type"] switch
    {
        JsonArray array => array.Select(t => (string)t!).Where(t => t != "null").ToHashSet(),
        JsonValue value => [(string)value!],
        _ => [],
    };
}
