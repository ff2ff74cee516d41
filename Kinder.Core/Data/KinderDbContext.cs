using Kinder.Core.Diagnostics;
using Kinder.Core.Identity;
using Kinder.Core.Interests;
using Kinder.Core.Onboarding;
using Kinder.Core.Outbox;
using Kinder.Core.Preferences;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Data;

/// <summary>
/// The one database context. Features add their sets here and their mapping in
/// <c>*EntityTypeConfiguration</c> classes next to the entity, picked up by assembly scan.
/// </summary>
public class KinderDbContext(DbContextOptions<KinderDbContext> options) : DbContext(options)
{
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<Probe> Probes => Set<Probe>();
    public DbSet<User> Users => Set<User>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<Interest> Interests => Set<Interest>();
    public DbSet<UserPreference> UserPreferences => Set<UserPreference>();
    public DbSet<OnboardingStepProgress> OnboardingSteps => Set<OnboardingStepProgress>();
    public DbSet<AccountToken> AccountTokens => Set<AccountToken>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("postgis");
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.HasPostgresExtension("citext");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(KinderDbContext).Assembly);
    }
}
