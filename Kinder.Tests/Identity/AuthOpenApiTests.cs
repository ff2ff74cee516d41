using System.Text.Json;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Identity;

/// <summary>Every auth endpoint is in the OpenAPI document with its success and failure responses.</summary>
public sealed class AuthOpenApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("post", "/api/v1/auth/register", "201,400,409,429")]
    [InlineData("post", "/api/v1/auth/login", "200,400,401,429")]
    [InlineData("post", "/api/v1/auth/refresh", "200,400,401,403")]
    [InlineData("post", "/api/v1/auth/logout", "204,400,401,403")]
    [InlineData("get", "/api/v1/auth/me", "200,401,404")]
    [InlineData("post", "/api/v1/auth/verify-email", "204,400")]
    [InlineData("post", "/api/v1/auth/resend-verification", "202,401,409,429")]
    [InlineData("post", "/api/v1/auth/forgot-password", "202,400,429")]
    [InlineData("post", "/api/v1/auth/reset-password", "204,400")]
    public async Task The_endpoint_is_documented_with_its_responses(string method, string path, string statuses)
    {
        var document = await api.CreateClient().GetOpenApiDocumentAsync();

        var operation = document.AssertDocuments(method, path, statuses.Split(','));
        Assert.Equal("Auth", operation.GetProperty("tags")[0].GetString());
    }

    [Fact]
    public async Task Sign_in_documents_how_to_ask_for_cookie_mode()
    {
        var document = JsonDocument.Parse(await api.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;

        var login = document.GetProperty("paths").GetProperty("/api/v1/auth/login").GetProperty("post");
        Assert.Contains("useCookies", login.GetProperty("summary").GetString());
        Assert.Contains(login.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "useCookies");
    }
}
