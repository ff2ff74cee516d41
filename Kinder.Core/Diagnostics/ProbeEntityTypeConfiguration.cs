using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kinder.Core.Diagnostics;

public sealed class ProbeEntityTypeConfiguration : IEntityTypeConfiguration<Probe>
{
    public void Configure(EntityTypeBuilder<Probe> builder)
    {
        builder.ToTable("probes");
        builder.HasKey(probe => probe.Id);
        builder.Property(probe => probe.Id).ValueGeneratedNever();
        builder.Property(probe => probe.Message).HasMaxLength(Probe.MaxMessageLength);
    }
}
