using Kinder.Core.Identity;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Net.Http.Headers;

namespace Kinder.Realtime.Hubs;

/// <summary>
/// A hub connection's request lives as long as the connection, and with it the access token it arrived with: ~1 KB of
/// header (or query) string per connection, for hours, though nothing reads it once the request is authenticated
/// (SignalR takes the user and the token's expiry from the authentication result). Once authenticated, the hub's
/// requests drop the <c>Authorization</c> header and the <c>access_token</c> query parameter, so idle connections
/// hold less memory and no bearer token lingers in them.
/// </summary>
public static class HubAccessTokenRelease
{
    public static WebApplication UseHubAccessTokenRelease(this WebApplication app, string hubPath)
    {
        var hub = new PathString(hubPath);
        app.Use((context, next) =>
        {
            if (context.Request.Path.Equals(hub) && context.User.Identity?.IsAuthenticated == true)
            {
                Release(context.Request);
            }
            return next(context);
        });
        return app;
    }

    /// <summary>Takes the bearer token out of the request: its Authorization header and its access_token parameter.</summary>
    public static void Release(HttpRequest request)
    {
        request.Headers.Remove(HeaderNames.Authorization);
        if (request.Query.ContainsKey(JwtAuthenticationExtensions.HubAccessTokenParameter))
        {
            request.QueryString = new QueryBuilder(request.Query
                    .Where(parameter => parameter.Key != JwtAuthenticationExtensions.HubAccessTokenParameter))
                .ToQueryString();
        }
    }
}
