using Kinder.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kinder.Core.Preferences;

public sealed class UserPreferenceEntityTypeConfiguration : IEntityTypeConfiguration<UserPreference>
{
    public void Configure(EntityTypeBuilder<UserPreference> builder)
    {
        builder.ToTable("user_preferences");
        builder.HasKey(preference => new { preference.UserId, preference.Key });
        builder.Property(preference => preference.Key).HasMaxLength(UserPreference.MaxKeyLength);
        builder.Property(preference => preference.Value).HasColumnType("jsonb");
        builder.HasOne<User>().WithMany().HasForeignKey(preference => preference.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
