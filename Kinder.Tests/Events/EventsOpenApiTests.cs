using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Events;

/// <summary>Every event endpoint is in the OpenAPI document with its failures.</summary>
public sealed class EventsOpenApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("/api/v1/events", "post", "201", "400", "401", "403")]
    [InlineData("/api/v1/events/{id}", "get", "200", "401", "404")]
    [InlineData("/api/v1/events/{id}", "put", "200", "400", "403", "404", "409")]
    [InlineData("/api/v1/events/{id}", "delete", "204", "403", "404")]
    [InlineData("/api/v1/events/{id}/attendance", "post", "200", "400", "402", "403", "404", "409")]
    [InlineData("/api/v1/events/{id}/attendees", "get", "200", "400", "404")]
    [InlineData("/api/v1/events/categories", "get", "200")]
    public async Task The_endpoint_is_documented_with_its_responses(string path, string method, params string[] statuses)
    {
        var document = await api.CreateClient().GetOpenApiDocumentAsync();

        document.AssertDocuments(method, path, statuses);
    }
}
