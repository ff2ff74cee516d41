using Kinder.Core;
using Kinder.Core.Http;
using Kinder.Core.Identity;
using Kinder.Realtime.Presence;
using Microsoft.Extensions.Options;

namespace Kinder.Realtime.Hubs;

/// <summary>
/// At most <see cref="RealtimeOptions.MaxConnectionsPerUser"/> hub connections per user, counted across instances in
/// the presence store. A new connection — a negotiate, or a connect without a negotiated id — past the cap is refused
/// before SignalR takes it, with <c>429 TOO_MANY_CONNECTIONS</c> (the clients' start fails with that status).
/// Requests of a connection already open (long polling's polls) are not counted again.
/// </summary>
public static class HubConnectionCap
{
    public static WebApplication UseHubConnectionCap(this WebApplication app, string hubPath)
    {
        var hub = new PathString(hubPath);
        var negotiate = hub.Add("/negotiate");
        app.Use((context, next) =>
        {
            var request = context.Request;
            var opens = request.Path.Equals(negotiate) || (request.Path.Equals(hub) && !request.Query.ContainsKey("id"));
            // A negotiated connection's request is passed on without an awaiting frame kept for its life.
            return opens && context.User.Identity?.IsAuthenticated == true ? CheckThenNextAsync(context, next) : next(context);
        });
        return app;
    }

    private static async Task CheckThenNextAsync(HttpContext context, RequestDelegate next)
    {
        var cap = context.RequestServices.GetRequiredService<IOptions<RealtimeOptions>>().Value.MaxConnectionsPerUser;
        var open = await context.RequestServices.GetRequiredService<PresenceStore>().CountConnectionsAsync(context.User.GetUserId());
        if (open >= cap)
        {
            await ProblemDetailsDefaults.WriteAsync(context, StatusCodes.Status429TooManyRequests, ErrorCodes.TooManyConnections,
                "Too many open connections.", $"At most {cap} connections per user; close one first.");
            return;
        }
        await next(context);
    }
}
