using System.Net;
using System.Text.Json;

namespace Kinder.Tests.Infrastructure;

public static class ProblemAssertions
{
    /// <summary>Asserts the response is problem+json with the status and code, and a traceId; returns the body.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} but got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.Matches("^[0-9a-f]{32}$", body.GetProperty("traceId").GetString());
        return body;
    }

    /// <summary>Asserts a 400 VALIDATION_FAILED problem whose <c>errors</c> name <paramref name="field"/>; returns the body.</summary>
    public static async Task<JsonElement> AssertFieldErrorAsync(this HttpResponseMessage response, string field)
    {
        var body = await response.AssertProblemAsync(HttpStatusCode.BadRequest, Kinder.Core.ErrorCodes.ValidationFailed);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {body}");
        return body;
    }
}
