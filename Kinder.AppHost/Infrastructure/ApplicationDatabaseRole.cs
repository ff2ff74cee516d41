using Kinder.Core;
using Kinder.Core.Data;

namespace Kinder.AppHost.Infrastructure;

/// <summary>
/// The services' own database login (docs/decisions/0012): the migrator connects as the database's owner and creates
/// <see cref="ApplicationRole.DefaultName"/> with this password; the services connect as that role, which owns nothing
/// and may only read and insert the audit log.
/// </summary>
internal sealed record ApplicationDatabaseRole(IResourceBuilder<ParameterResource> Password)
{
    public static ApplicationDatabaseRole Add(IDistributedApplicationBuilder builder) => new(
        builder.AddParameter("kinder-app-password", new GenerateParameterDefault { MinLength = 32, Special = false },
                secret: true, persist: true)
            .WithDescription($"Password of the database role the services connect as ({ApplicationRole.DefaultName}); the migrator sets it."));

    /// <summary>The migrator: the owner's connection string (its reference), and the role to create and grant.</summary>
    public IResourceBuilder<ProjectResource> ConfigureMigrator(IResourceBuilder<ProjectResource> migrator) => migrator
        .WithEnvironment(Variable(ApplicationRole.NameKey), ApplicationRole.DefaultName)
        .WithEnvironment(Variable(ApplicationRole.PasswordKey), Password);

    /// <summary>A service: the same database, signed in as the role (later keys of a connection string win).</summary>
    public IResourceBuilder<ProjectResource> ConfigureService(IResourceBuilder<ProjectResource> service,
        IResourceBuilder<IResourceWithConnectionString> database) => service
        .WithEnvironment($"ConnectionStrings__{KinderResources.Database}",
            ReferenceExpression.Create($"{database.Resource};Username={ApplicationRole.DefaultName};Password={Password.Resource}"));

    private static string Variable(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
