using System.Text.Json;

namespace Kinder.Tests.Infrastructure;

/// <summary>Reading the Api's OpenAPI document and checking that an operation documents its responses.</summary>
public static class OpenApiAssertions
{
    public static async Task<JsonElement> GetOpenApiDocumentAsync(this HttpClient client) =>
        JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;

    /// <summary>Asserts <paramref name="method"/> <paramref name="path"/> is documented with a summary and (at least) these statuses; returns the operation.</summary>
    public static JsonElement AssertDocuments(this JsonElement document, string method, string path, params string[] statuses)
    {
        Assert.True(document.GetProperty("paths").TryGetProperty(path, out var item), $"{path} is not in the document");
        Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path} is not in the document");
        var documented = operation.GetProperty("responses").EnumerateObject().Select(response => response.Name).ToHashSet();
        foreach (var status in statuses)
        {
            Assert.True(documented.Contains(status), $"{method} {path} does not document {status}: {string.Join(",", documented)}");
        }
        Assert.False(string.IsNullOrEmpty(operation.GetProperty("summary").GetString()), $"{method} {path} has no summary");
        return operation;
    }
}
