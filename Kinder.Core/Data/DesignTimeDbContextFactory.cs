using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Kinder.Core.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting a host.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<KinderDbContext>
{
    public KinderDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__kinderdb")
            ?? "Host=127.0.0.1;Database=kinderdb;Username=postgres";
        var options = new DbContextOptionsBuilder<KinderDbContext>();
        KinderDbContextOptions.Configure(options, connectionString);
        return new KinderDbContext(options.Options);
    }
}
