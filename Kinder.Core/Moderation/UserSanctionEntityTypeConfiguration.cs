using Kinder.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kinder.Core.Moderation;

public sealed class UserSanctionEntityTypeConfiguration : IEntityTypeConfiguration<UserSanction>
{
    public void Configure(EntityTypeBuilder<UserSanction> builder)
    {
        builder.ToTable("user_sanctions");
        builder.HasKey(sanction => sanction.Id);
        builder.Property(sanction => sanction.Id).ValueGeneratedNever();
        builder.HasOne<User>().WithMany().HasForeignKey(sanction => sanction.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(sanction => new { sanction.UserId, sanction.CreatedAt });
        builder.Property(sanction => sanction.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(sanction => sanction.Reason).HasMaxLength(UserSanction.MaxReasonLength);
    }
}
