using System.Net;
using System.Net.Http.Json;
using Kinder.Core;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Kinder.Tests.Api;

/// <summary>The Api pointed at a database that is not there: the failure must not leak how we are built.</summary>
public sealed class UnreachableDatabaseApiFactory : ApiFactory
{
    public const string Password = "s3cret-that-must-not-leak";

    public override Task InitializeAsync() => Task.CompletedTask;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // Port 9 (discard) has nothing listening; no retries, so the test stays quick.
        builder.UseSetting("ConnectionStrings:kinderdb",
            $"Host=127.0.0.1;Port=9;Database=kinder_missing;Username=kinder;Password={Password};Timeout=1");
        builder.UseSetting("Aspire:Npgsql:EntityFrameworkCore:PostgreSQL:DisableRetry", "true");
    }
}

public sealed class UnhandledErrorTests(UnreachableDatabaseApiFactory api) : IClassFixture<UnreachableDatabaseApiFactory>
{
    [Fact]
    public async Task An_unhandled_failure_is_a_500_INTERNAL_ERROR_without_stack_sql_or_secrets()
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.ForNewAdmin().Token);

        var response = await client.PostAsJsonAsync("/api/v1/diagnostics/probes", new { message = "hello" });

        var body = await response.AssertProblemAsync(HttpStatusCode.InternalServerError, ErrorCodes.InternalError);
        var text = body.ToString();
        foreach (var leak in new[] { UnreachableDatabaseApiFactory.Password, "Npgsql", "Exception", "   at ", "Host=", "kinder_missing", "INSERT" })
        {
            Assert.DoesNotContain(leak, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Health_reports_unhealthy_when_the_database_is_unreachable()
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.ForNewAdmin().Token); // the detail is an operator's

        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"KinderDbContext\"", text);
        Assert.DoesNotContain(UnreachableDatabaseApiFactory.Password, text);
    }
}
