using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kinder.Core.Identity;

public sealed class UserEntityTypeConfiguration : IEntityTypeConfiguration<User>
{
    public const int MaxDisplayNameLength = 80;
    public const int MaxBioLength = 1000;

    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users");
        builder.HasKey(user => user.Id);
        builder.Property(user => user.Id).ValueGeneratedNever();
        // citext: one account per address however it is capitalised.
        builder.Property(user => user.Email).HasColumnType("citext").HasMaxLength(254);
        builder.HasIndex(user => user.Email).IsUnique();
        builder.Property(user => user.DisplayName).HasMaxLength(MaxDisplayNameLength);
        // User search: prefix (ILIKE) and typo-tolerant (word similarity) matches on the name use it.
        builder.HasIndex(user => user.DisplayName).HasMethod("gin").HasOperators("gin_trgm_ops")
            .HasDatabaseName("ix_users_display_name_trgm");
        builder.Property(user => user.PasswordHash).HasMaxLength(100);
        builder.Property(user => user.GoogleSubject).HasMaxLength(255);
        builder.HasIndex(user => user.GoogleSubject).IsUnique().HasFilter("google_subject IS NOT NULL");
        builder.Property(user => user.Bio).HasMaxLength(MaxBioLength);
        builder.Property(user => user.Location).HasColumnType("geography (point, 4326)");
        builder.HasIndex(user => user.Location).HasMethod("gist");
        builder.Property(user => user.City).HasMaxLength(120);
        builder.Property(user => user.AvatarKey).HasMaxLength(300);
        builder.Property(user => user.Roles).HasColumnType("text[]");
        builder.HasIndex(user => user.CreatedAt); // admin dashboard and analytics: signups per day
        // Admin user search by status; partial: almost nobody is sanctioned.
        builder.HasIndex(user => user.SuspendedUntil).HasFilter("suspended_until IS NOT NULL OR banned_at IS NOT NULL");
    }
}
