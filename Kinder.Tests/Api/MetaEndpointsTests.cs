using System.Net;
using System.Text.Json;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Api;

public sealed class MetaEndpointsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Version_reports_version_commit_and_build_time()
    {
        var body = JsonDocument.Parse(await _client.GetStringAsync("/api/version")).RootElement;

        Assert.Matches(@"^\d+\.\d+\.\d+", body.GetProperty("version").GetString());
        Assert.True(body.GetProperty("builtAt").GetDateTimeOffset() > new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.True(body.TryGetProperty("commit", out _));
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/readyz")]
    [InlineData("/alive")]
    [InlineData("/healthz")]
    public async Task Health_endpoints_answer_healthy_when_dependencies_are_up(string path)
    {
        var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readiness_checks_the_database_redis_and_kafka()
    {
        // The per-dependency detail is for operators.
        using var admin = api.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", (await TestTokens.ForNewAdminAsync(api.DatabaseConnectionString)).Token);
        var body = JsonDocument.Parse(await admin.GetStringAsync("/health")).RootElement;

        var checks = body.GetProperty("checks");
        // Named as Aspire's client integrations name their checks (ours for Kafka copies Aspire's).
        foreach (var dependency in new[] { "KinderDbContext", "StackExchange.Redis", "Aspire.Confluent.Kafka.Producer" })
        {
            Assert.Equal("Healthy", checks.GetProperty(dependency).GetProperty("status").GetString());
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("user")]
    public async Task Health_tells_anyone_but_an_operator_the_status_only(string? caller)
    {
        using var client = api.CreateClient();
        if (caller is not null)
            client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.ForNewUser().Token);

        foreach (var path in new[] { "/health", "/readyz", "/alive" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal("Healthy", JsonDocument.Parse(text).RootElement.GetProperty("status").GetString());
            foreach (var detail in new[] { "checks", "KinderDbContext", "StackExchange.Redis", "Kafka", "self", "durationMs" })
                Assert.DoesNotContain(detail, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        var document = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json")).RootElement;

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/version", out _));
        Assert.True(paths.TryGetProperty("/api/v1/diagnostics/probes", out _));
    }

    [Fact]
    public async Task The_scalar_ui_is_served()
    {
        var response = await _client.GetAsync("/scalar");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.ToString());
    }
}
