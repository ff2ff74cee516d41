using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kinder.Core.Moderation;

public sealed class BroadcastEntityTypeConfiguration : IEntityTypeConfiguration<Broadcast>
{
    public void Configure(EntityTypeBuilder<Broadcast> builder)
    {
        builder.ToTable("broadcasts");
        builder.HasKey(broadcast => broadcast.Id);
        builder.Property(broadcast => broadcast.Id).ValueGeneratedNever();
        builder.Property(broadcast => broadcast.Title).HasMaxLength(Broadcast.MaxTitleLength);
        builder.Property(broadcast => broadcast.Body).HasMaxLength(Broadcast.MaxBodyLength);
        builder.Property(broadcast => broadcast.City).HasMaxLength(120);
        builder.Property(broadcast => broadcast.InterestIds).HasColumnType("integer[]");
        builder.HasIndex(broadcast => broadcast.CreatedAt);
    }
}
