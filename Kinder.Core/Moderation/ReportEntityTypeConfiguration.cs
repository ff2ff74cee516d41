using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kinder.Core.Moderation;

public sealed class ReportEntityTypeConfiguration : IEntityTypeConfiguration<Report>
{
    public void Configure(EntityTypeBuilder<Report> builder)
    {
        builder.ToTable("reports");
        builder.HasKey(report => report.Id);
        builder.Property(report => report.Id).ValueGeneratedNever();
        builder.Property(report => report.TargetType).HasConversion<string>().HasMaxLength(16);
        builder.Property(report => report.Reason).HasConversion<string>().HasMaxLength(16);
        builder.Property(report => report.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(report => report.Action).HasConversion<string>().HasMaxLength(16);
        builder.Property(report => report.Details).HasMaxLength(Report.MaxDetailsLength);
        builder.Property(report => report.Note).HasMaxLength(Report.MaxNoteLength);
        builder.Property(report => report.TargetSummary).HasMaxLength(Report.MaxSummaryLength);
        // One open report per reporter and target: a second POST answers the first.
        builder.HasIndex(report => new { report.ReporterId, report.TargetType, report.TargetId }).IsUnique()
            .HasFilter("status = 'Open'").HasDatabaseName("ix_reports_one_open_per_reporter");
        // The queue: a target's reports together, by status.
        builder.HasIndex(report => new { report.Status, report.TargetType, report.TargetId });
        // Reports against a user (admin user detail; escalation counts the upheld ones of the last 30 days).
        builder.HasIndex(report => new { report.TargetUserId, report.ResolvedAt });
    }
}
