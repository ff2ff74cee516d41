using System.Text.Json;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Identity.Google;

/// <summary>The Google endpoints are in the OpenAPI document with their success and failure responses.</summary>
public sealed class GoogleOpenApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("/api/v1/auth/google/login", "post", new[] { "200", "400", "503" })]
    [InlineData("/api/v1/auth/google/callback", "get", new[] { "200", "302", "400", "401", "403", "409", "502", "503" })]
    [InlineData("/api/v1/auth/google/token", "post", new[] { "200", "400", "401", "403", "409", "502", "503" })]
    public async Task The_openapi_document_lists_the_google_endpoint_with_its_responses(string path, string method, string[] statuses)
    {
        var document = await api.CreateClient().GetOpenApiDocumentAsync();

        var operation = document.AssertDocuments(method, path, statuses);
        var responses = operation.GetProperty("responses").EnumerateObject().Select(response => response.Name).ToList();
        Assert.Equal(statuses.Order(), responses.Order());
    }
}
