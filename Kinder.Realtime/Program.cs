using Kinder.Realtime.Extensions;
using Kinder.Realtime.Hubs;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseStatusCodePages();
app.UseInstanceNegotiateRedirect(ChatHub.Path);
app.UseAuthentication();
app.UseHubAccessTokenRelease(ChatHub.Path);
app.UseAuthorization();
app.UseHubConnectionCap(ChatHub.Path);

app.MapDefaultEndpoints();
app.MapHub<ChatHub>(ChatHub.Path, options =>
{
    // Backpressure thresholds per connection, not preallocations: small, so a slow client cannot pin much memory.
    options.ApplicationMaxBufferSize = 32 * 1024;
    options.TransportMaxBufferSize = 32 * 1024;
    // A connection lives no longer than its access token, so a logout (blacklist) or deletion takes effect then.
    options.CloseOnAuthenticationExpiration = true;
});

app.Run();
