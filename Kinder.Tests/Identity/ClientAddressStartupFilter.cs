using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Kinder.Tests.Identity;

/// <summary>
/// TestServer requests have no client address. Hosts with this filter take it from <see cref="Header"/> instead, so each
/// test can be a client of its own, as it would be over a socket, and per-address limits count only its requests.
/// </summary>
internal sealed class ClientAddressStartupFilter : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (IPAddress.TryParse(context.Request.Headers[Header], out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }
            return nextMiddleware(context);
        });
        next(app);
    };

    /// <summary>A client with an address of its own.</summary>
    public static HttpClient ClientOf(HttpClient client, IPAddress address)
    {
        client.DefaultRequestHeaders.Add(Header, address.ToString());
        return client;
    }

    /// <summary>A fresh address in <paramref name="network"/>.0.0.0/8 (10/8 unless said: a private network's).</summary>
    public static IPAddress NewAddress(byte network = 10) => new([network, .. Guid.NewGuid().ToByteArray()[..3]]);
}
