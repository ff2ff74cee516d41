using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Moderation;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Workers.Migrations;

/// <summary>
/// <c>Kinder.Workers make-admin &lt;email&gt;</c>: gives an existing account the admin role, the way to get the first
/// admin on a fresh install (there is no default account or password). The account signs up the ordinary way first.
/// Through <see cref="RoleChanges"/>, so it is audited (<see cref="AuditActions.AdminGranted"/>, no actor) and counts
/// at once for the tokens the user already holds. Exit code 0 on success, 1 on failure, 2 on a usage error.
/// </summary>
public static class MakeAdminCommand
{
    public const string Name = "make-admin";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not [var email, ..] || email.StartsWith('-') || !email.Contains('@'))
        {
            await Console.Error.WriteLineAsync("Usage: Kinder.Workers make-admin <email of an existing account>");
            return 2;
        }
        var builder = Host.CreateApplicationBuilder(args[1..]);
        builder.AddServiceDefaults();
        builder.AddKinderDbContext();
        builder.AddKinderRedisClient(); // the user's cached security state is rewritten, so the role counts at once
        builder.Services.AddModerationCore();
        using var host = builder.Build();

        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Kinder.MakeAdmin");
        try
        {
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KinderDbContext>();
            var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email && u.DeletedAt == null);
            if (user is null)
            {
                logger.LogError("No account with the email {Email}: sign up with it first, then run make-admin again", email);
                return 1;
            }
            await scope.ServiceProvider.GetRequiredService<RoleChanges>()
                .SetAsync(user.Id, [.. user.Roles, KinderRoles.Admin], actorId: null, AuditActions.AdminGranted, CancellationToken.None);
            logger.LogInformation("User {UserId} ({Email}) is an admin", user.Id, email);
            return 0;
        }
        catch (Exception exception)
        {
            logger.LogCritical(exception, "make-admin failed");
            return 1;
        }
    }
}
