using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Kinder.Api.Infrastructure;

/// <summary>
/// The client's address (and scheme) from <c>X-Forwarded-For</c>/<c>-Proto</c>, only when the request comes from a
/// proxy listed in <c>ForwardedHeaders:KnownProxies</c> (addresses) or <c>ForwardedHeaders:KnownNetworks</c> (CIDR).
/// None listed, the default: the headers are ignored and the socket's address is the client's. Per-address limits
/// (sign-in, sign-up, password reset) key on the result, so behind a load balancer each client counts on its own.
/// </summary>
public static class ForwardedHeadersSetup
{
    public const string SectionName = "ForwardedHeaders";

    public static WebApplication UseKinderForwardedHeaders(this WebApplication app)
    {
        var section = app.Configuration.GetSection(SectionName);
        var proxies = section.GetSection("KnownProxies").Get<string[]>() ?? [];
        var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
        if (proxies.Length == 0 && networks.Length == 0)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // One hop per trusted proxy in front of the Api; more are the client's own claims.
            ForwardLimit = section.GetValue<int?>("ForwardLimit") ?? 1,
        };
        // Not the framework's loopback defaults: only what is configured is trusted.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }
        foreach (var network in networks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
        app.UseForwardedHeaders(options);
        return app;
    }
}
