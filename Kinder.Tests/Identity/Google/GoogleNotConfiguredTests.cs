using System.Net;
using System.Net.Http.Json;
using Kinder.Core;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Identity.Google;

/// <summary>Without Google credentials the Api still runs; only Google sign-in says it is unavailable.</summary>
public sealed class GoogleNotConfiguredTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Google_login_without_a_client_id_is_a_503_problem()
    {
        var response = await api.CreateClient().PostAsJsonAsync("/api/v1/auth/google/login", new { });

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, ErrorCodes.ServiceUnavailable);
    }
}
