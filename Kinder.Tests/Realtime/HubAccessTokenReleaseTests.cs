using Kinder.Realtime.Hubs;
using Microsoft.AspNetCore.Http;

namespace Kinder.Tests.Realtime;

/// <summary>A hub connection's long-lived request keeps no bearer token once authenticated.</summary>
public sealed class HubAccessTokenReleaseTests
{
    [Fact]
    public void The_authorization_header_goes_and_the_other_headers_stay()
    {
        var request = new DefaultHttpContext().Request;
        request.Headers.Authorization = "Bearer eyJ.token.sig";
        request.Headers.UserAgent = "kinder-ios/1.0";

        HubAccessTokenRelease.Release(request);

        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.Equal("kinder-ios/1.0", request.Headers.UserAgent.ToString());
    }

    [Fact]
    public void The_access_token_parameter_goes_and_the_connection_id_stays()
    {
        var request = new DefaultHttpContext().Request;
        request.QueryString = new QueryString("?id=AbC-123_x&access_token=eyJ.token.sig&v=1");

        HubAccessTokenRelease.Release(request);

        Assert.False(request.Query.ContainsKey("access_token"));
        Assert.Equal("AbC-123_x", request.Query["id"].ToString());
        Assert.Equal("1", request.Query["v"].ToString());
        Assert.DoesNotContain("eyJ", request.QueryString.Value);
    }

    [Fact]
    public void A_request_without_a_token_is_left_as_it_was()
    {
        var request = new DefaultHttpContext().Request;
        request.QueryString = new QueryString("?id=abc");

        HubAccessTokenRelease.Release(request);

        Assert.Equal("?id=abc", request.QueryString.Value);
    }
}
