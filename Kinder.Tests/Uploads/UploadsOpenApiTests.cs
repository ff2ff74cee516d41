using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Uploads;

/// <summary>Every upload and calendar endpoint is in the OpenAPI document with its failures.</summary>
public sealed class UploadsOpenApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("/api/v1/uploads/sign-url", "post", "200", "400", "401")]
    [InlineData("/api/v1/uploads/complete", "post", "200", "400", "401", "404", "409", "413", "415")]
    [InlineData("/api/v1/uploads/{key}", "delete", "204", "401", "404")]
    [InlineData("/api/v1/events/{id}/calendar.ics", "get", "200", "401", "404")]
    [InlineData("/api/v1/users/me/calendar", "get", "200", "401")]
    [InlineData("/api/v1/users/me/calendar/rotate", "post", "200", "401")]
    [InlineData("/api/v1/calendar/{token}.ics", "get", "200", "404")]
    public async Task The_endpoint_is_documented_with_its_responses(string path, string method, params string[] statuses)
    {
        var document = await api.CreateClient().GetOpenApiDocumentAsync();

        document.AssertDocuments(method, path, statuses);
    }
}
