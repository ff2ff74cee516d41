using Kinder.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kinder.Core.Notifications;

public sealed class NotificationEntityTypeConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("notifications");
        builder.HasKey(notification => notification.Id);
        builder.Property(notification => notification.Id).ValueGeneratedNever();
        builder.Property(notification => notification.Type).HasMaxLength(32);
        builder.Property(notification => notification.CauseKey).HasMaxLength(200);
        builder.Property(notification => notification.Title).HasMaxLength(Notification.MaxTitleLength);
        builder.Property(notification => notification.Body).HasMaxLength(Notification.MaxBodyLength);
        builder.Property(notification => notification.Data).HasColumnType("jsonb");
        builder.Property(notification => notification.CollapseKey).HasMaxLength(100);
        builder.HasOne<User>().WithMany().HasForeignKey(notification => notification.UserId).OnDelete(DeleteBehavior.Cascade);
        // Once per recipient and cause: redelivery inserts nothing (ON CONFLICT DO NOTHING).
        builder.HasIndex(notification => new { notification.UserId, notification.CauseKey }).IsUnique()
            .HasDatabaseName("ux_notifications_cause");
        // One unread notification per collapse key (chat: per conversation until read).
        builder.HasIndex(notification => new { notification.UserId, notification.CollapseKey }).IsUnique()
            .HasFilter("read_at IS NULL AND collapse_key IS NOT NULL").HasDatabaseName("ux_notifications_unread_collapse");
        // The feed, newest first (keyset on created_at, id), and the unread count.
        builder.HasIndex(notification => new { notification.UserId, notification.CreatedAt, notification.Id })
            .IsDescending(false, true, true).HasFilter("in_app").HasDatabaseName("ix_notifications_feed");
        builder.HasIndex(notification => notification.UserId).HasFilter("read_at IS NULL AND in_app")
            .HasDatabaseName("ix_notifications_unread");
    }
}

public sealed class NotificationSettingsEntityTypeConfiguration : IEntityTypeConfiguration<NotificationSettings>
{
    public void Configure(EntityTypeBuilder<NotificationSettings> builder)
    {
        builder.ToTable("notification_settings");
        builder.HasKey(settings => settings.UserId);
        builder.Property(settings => settings.Types).HasColumnType("jsonb");
        builder.Property(settings => settings.TimeZone).HasMaxLength(64);
        builder.Property(settings => settings.Digest).HasMaxLength(16);
        builder.HasOne<User>().WithOne().HasForeignKey<NotificationSettings>(settings => settings.UserId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class ScheduledJobEntityTypeConfiguration : IEntityTypeConfiguration<ScheduledJob>
{
    public void Configure(EntityTypeBuilder<ScheduledJob> builder)
    {
        builder.ToTable("scheduled_jobs");
        builder.HasKey(job => job.Id);
        builder.Property(job => job.Id).ValueGeneratedNever();
        builder.Property(job => job.Kind).HasMaxLength(32);
        builder.Property(job => job.Key).HasMaxLength(200);
        builder.Property(job => job.Payload).HasColumnType("jsonb");
        builder.HasIndex(job => job.Key).IsUnique();
        builder.HasIndex(job => job.DueAt);
    }
}
