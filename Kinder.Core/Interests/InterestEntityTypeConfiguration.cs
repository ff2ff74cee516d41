using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kinder.Core.Interests;

public sealed class InterestEntityTypeConfiguration : IEntityTypeConfiguration<Interest>
{
    public void Configure(EntityTypeBuilder<Interest> builder)
    {
        builder.ToTable("interests");
        builder.HasKey(interest => interest.Id);
        builder.Property(interest => interest.Id).ValueGeneratedNever();
        builder.Property(interest => interest.Slug).HasMaxLength(Interest.MaxSlugLength);
        builder.HasIndex(interest => interest.Slug).IsUnique();
        builder.Property(interest => interest.Name).HasMaxLength(Interest.MaxNameLength);
        builder.Property(interest => interest.Group).HasMaxLength(Interest.MaxSlugLength);
        builder.HasData(InterestCatalog.All);
    }
}
