using Kinder.Realtime.Extensions;
using Kinder.Realtime.Hubs;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapHub<ChatHub>(ChatHub.Path);

app.Run();
