using System.Text.Json;
using Kinder.Core.Identity;
using Kinder.Core.PersonalData;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Identity;

/// <summary>Export and deletion see the account's sessions and emailed links.</summary>
public sealed class SessionsPersonalDataSourceTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_export_lists_sessions_and_links_without_their_secrets()
    {
        var session = await api.CreateClient().RegisterAsync();
        using var scope = api.Services.CreateScope();

        var export = JsonSerializer.Serialize(await Source(scope).ExportAsync(session.User.Id, CancellationToken.None), JsonSerializerOptions.Web);

        var document = JsonDocument.Parse(export).RootElement;
        Assert.Single(document.GetProperty("refreshTokens").EnumerateArray());
        Assert.Equal("EmailVerification", Assert.Single(document.GetProperty("emailedLinks").EnumerateArray()).GetProperty("purpose").GetString());
        Assert.DoesNotContain(session.RefreshToken!, export);
        Assert.DoesNotContain("hash", export, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Erasing_ends_every_session_and_link()
    {
        var session = await api.CreateClient().RegisterAsync();
        using var scope = api.Services.CreateScope();

        await Source(scope).EraseAsync(session.User.Id, CancellationToken.None);

        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        Assert.False(await db.RefreshTokens.AnyAsync(t => t.UserId == session.User.Id));
        Assert.False(await db.AccountTokens.AnyAsync(t => t.UserId == session.User.Id));
        await (await api.CreateClient().PostRefreshAsync(session.RefreshToken))
            .AssertProblemAsync(System.Net.HttpStatusCode.Unauthorized, Kinder.Core.ErrorCodes.Unauthorized);
    }

    private static SessionsPersonalDataSource Source(IServiceScope scope) =>
        scope.ServiceProvider.GetServices<IPersonalDataSource>().OfType<SessionsPersonalDataSource>().Single();
}
