using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Profiles;

/// <summary>Every profile, preference and onboarding endpoint is in the OpenAPI document with its failures.</summary>
public sealed class ProfileOpenApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("/api/v1/users/profile", "get", "401")]
    [InlineData("/api/v1/users/profile", "put", "400")]
    [InlineData("/api/v1/users/{id}", "get", "404")]
    [InlineData("/api/v1/users/preferences", "get", "401")]
    [InlineData("/api/v1/users/preferences", "put", "400")]
    [InlineData("/api/v1/users/onboarding/status", "get", "401")]
    [InlineData("/api/v1/onboarding/preferences", "post", "400")]
    [InlineData("/api/v1/onboarding/steps/welcome", "put", "401")]
    [InlineData("/api/v1/onboarding/steps/profile", "put", "400")]
    [InlineData("/api/v1/onboarding/steps/reasons", "put", "400")]
    [InlineData("/api/v1/onboarding/steps/weekend", "put", "400")]
    [InlineData("/api/v1/onboarding/steps/recharge", "put", "400")]
    [InlineData("/api/v1/onboarding/steps/{step}/skip", "post", "404")]
    public async Task The_endpoint_is_documented_with_the_response(string path, string method, string status)
    {
        var document = await api.CreateClient().GetOpenApiDocumentAsync();

        document.AssertDocuments(method, path, status, "200");
    }

    [Fact]
    public async Task The_catalog_is_documented_as_open()
    {
        var document = await (await api.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync();

        var responses = document.GetProperty("paths").GetProperty("/api/v1/onboarding/interests").GetProperty("get")
            .GetProperty("responses");
        Assert.False(responses.TryGetProperty("401", out _), responses.ToString());
    }
}
