using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kinder.Core.Admin;

public sealed class DailyActivityEntityTypeConfiguration : IEntityTypeConfiguration<DailyActivity>
{
    public void Configure(EntityTypeBuilder<DailyActivity> builder)
    {
        builder.ToTable("daily_activity");
        builder.HasKey(day => day.Day);
        builder.Property(day => day.Currency).HasMaxLength(3);
    }
}
