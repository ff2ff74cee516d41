using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kinder.Core.Moderation;

public sealed class AuditLogEntityTypeConfiguration : IEntityTypeConfiguration<AuditLog>
{
    public void Configure(EntityTypeBuilder<AuditLog> builder)
    {
        builder.ToTable("audit_logs");
        builder.HasKey(log => log.Id);
        builder.Property(log => log.Id).ValueGeneratedNever();
        builder.Property(log => log.Action).HasMaxLength(AuditLog.MaxActionLength);
        builder.Property(log => log.TargetType).HasMaxLength(AuditLog.MaxTargetTypeLength);
        builder.Property(log => log.TargetId).HasMaxLength(AuditLog.MaxTargetIdLength);
        builder.Property(log => log.Ip).HasMaxLength(AuditLog.MaxIpLength);
        builder.Property(log => log.UserAgent).HasMaxLength(AuditLog.MaxUserAgentLength);
        builder.Property(log => log.Data).HasColumnType("jsonb");
        // The search's three shapes (GET /admin/audit-logs): newest first overall, by actor, by action; id breaks ties.
        builder.HasIndex(log => new { log.CreatedAt, log.Id }).IsDescending(true, true);
        builder.HasIndex(log => new { log.ActorId, log.CreatedAt });
        builder.HasIndex(log => new { log.Action, log.CreatedAt });
    }
}
