using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kinder.Core.Uploads;

internal sealed class UploadEntityTypeConfiguration : IEntityTypeConfiguration<Upload>
{
    public void Configure(EntityTypeBuilder<Upload> builder)
    {
        builder.ToTable("uploads");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Purpose).HasConversion<string>().HasMaxLength(32);
        builder.Property(u => u.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(u => u.Key).HasMaxLength(300);
        builder.Property(u => u.ContentType).HasMaxLength(Upload.MaxContentTypeLength);
        builder.Property(u => u.Sha256).HasMaxLength(64);
        builder.HasIndex(u => u.Key).IsUnique();
        // Finding an earlier identical upload of the same owner and purpose (duplicates reuse it).
        builder.HasIndex(u => new { u.OwnerId, u.Purpose, u.Sha256 });
        builder.HasOne<Identity.User>().WithMany().HasForeignKey(u => u.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}
