using System.Net;
using System.Net.Http.Json;
using System.Text;
using Kinder.Core;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Api;

/// <summary>Every error is problem+json with a stable code and the trace id.</summary>
public sealed class ErrorContractTests(ApiFactory api) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    // The probe endpoint is the body-handling example; it is an operator's, so the client is an admin.
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = api.CreateClient();
        _client.DefaultRequestHeaders.Authorization = new("Bearer", (await TestTokens.ForNewAdminAsync(api.DatabaseConnectionString)).Token);
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem_with_a_code()
    {
        var response = await _client.GetAsync("/api/v1/nope");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_MALFORMED_REQUEST()
    {
        var response = await _client.PostAsync("/api/v1/diagnostics/probes",
            new StringContent("{\"message\": \"unterminated", Encoding.UTF8, "application/json"));

        var body = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.MalformedRequest);
        Assert.Contains("JSON", body.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_json_body_over_one_mebibyte_is_a_413_PAYLOAD_TOO_LARGE()
    {
        var message = new string('x', 1024 * 1024 + 1);
        var response = await _client.PostAsJsonAsync("/api/v1/diagnostics/probes", new { message });

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_problem()
    {
        var response = await _client.PostAsync("/api/v1/diagnostics/probes", new StringContent("message=hi"));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, ErrorCodes.UnsupportedMediaType);
    }

    [Fact]
    public async Task Invalid_fields_are_a_400_VALIDATION_FAILED_with_field_errors()
    {
        var response = await _client.PostAsJsonAsync("/api/v1/diagnostics/probes", new { message = "" });

        await response.AssertFieldErrorAsync("message");
    }

    [Fact]
    public async Task Unknown_json_members_are_ignored()
    {
        var response = await _client.PostAsJsonAsync("/api/v1/diagnostics/probes", new { message = "hello", extra = 42 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_wrong_method_is_a_405_problem()
    {
        var response = await _client.DeleteAsync("/api/version");

        await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed, ErrorCodes.MethodNotAllowed);
    }
}
