using Kinder.Workers.Extensions;
using Kinder.Workers.Migrations;

// `Kinder.Workers migrate` is the migration step: apply EF Core migrations, then exit (0 on success).
if (args is [MigrateCommand.Name, ..])
{
    return await MigrateCommand.RunAsync(args[1..]);
}
// `Kinder.Workers make-admin <email>`: the first admin of a fresh install (README, Admin and moderation).
if (args is [MakeAdminCommand.Name, ..])
{
    return await MakeAdminCommand.RunAsync(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();

await app.RunAsync();
return 0;
