using System.Text.Json.Serialization;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;

namespace Kinder.Realtime.Hubs;

/// <summary>SignalR's negotiate redirect: negotiate again at <c>url</c>, with <c>accessToken</c> as the bearer.</summary>
public sealed record NegotiateRedirect(
    string Url,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AccessToken);

/// <summary>
/// Answers a hub negotiate that came through a port forwarder on this host with SignalR's redirect to this
/// instance's own port (<see cref="RealtimeOptions.RedirectNegotiateToInstance"/>). Aspire's proxy gives each TCP
/// connection to any replica, so the WebSocket after a negotiate would land on the other replica half the time,
/// which does not know the connection token (404). The JS and .NET clients negotiate again at the url, with the
/// token as their bearer, and connect there; that negotiate arrives directly (same port) and is answered normally.
/// </summary>
public static class InstanceNegotiateRedirect
{
    // The clients add these to every negotiate themselves (the .NET client useStatefulReconnect even when present,
    // and a doubled parameter no longer parses); the token travels as accessToken, not in a URL.
    private static readonly string[] ClientParameters = ["negotiateVersion", "useStatefulReconnect", JwtAuthenticationExtensions.HubAccessTokenParameter];

    public static WebApplication UseInstanceNegotiateRedirect(this WebApplication app, string hubPath)
    {
        if (!app.Services.GetRequiredService<IOptions<RealtimeOptions>>().Value.RedirectNegotiateToInstance)
            return app;
        var negotiatePath = new PathString(hubPath).Add("/negotiate");
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(InstanceNegotiateRedirect));
        app.Use((context, next) => ArrivedThroughForwarder(context, negotiatePath)
            ? RedirectToThisInstanceAsync(context, hubPath, logger)
            : next(context));
        return app;
    }

    private static bool ArrivedThroughForwarder(HttpContext context, PathString negotiatePath)
    {
        var request = context.Request;
        // The port the client dialled against the one this instance accepted on; 0 is no socket (an in-memory host).
        var dialledPort = request.Host.Port ?? (request.IsHttps ? 443 : 80);
        var localPort = context.Connection.LocalPort;
        return HttpMethods.IsPost(request.Method) && request.Path.Equals(negotiatePath, StringComparison.OrdinalIgnoreCase)
            && localPort != 0 && dialledPort != localPort;
    }

    private static Task RedirectToThisInstanceAsync(HttpContext context, string hubPath, ILogger logger)
    {
        var request = context.Request;
        var query = new QueryBuilder(request.Query.Where(parameter =>
            !ClientParameters.Contains(parameter.Key, StringComparer.OrdinalIgnoreCase)));
        var url = UriHelper.BuildAbsolute(request.Scheme, new HostString(request.Host.Host, context.Connection.LocalPort),
            request.PathBase, hubPath, query.ToQueryString());
        logger.LogDebug("Negotiate through port {DialledPort} redirected to this instance at {Url}", request.Host.Port, url);
        return context.Response.WriteAsJsonAsync(new NegotiateRedirect(url, CallerToken(request)));
    }

    private static string? CallerToken(HttpRequest request)
    {
        const string bearer = "Bearer ";
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
            return authorization[bearer.Length..].Trim();
        var fromQuery = request.Query[JwtAuthenticationExtensions.HubAccessTokenParameter].ToString();
        return fromQuery.Length > 0 ? fromQuery : null;
    }
}
