using Kinder.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kinder.Core.Devices;

public sealed class DeviceEntityTypeConfiguration : IEntityTypeConfiguration<Device>
{
    public const int MaxTokenLength = 4096;
    public const int MaxAppVersionLength = 32;

    public void Configure(EntityTypeBuilder<Device> builder)
    {
        builder.ToTable("devices");
        builder.HasKey(device => device.Id);
        builder.Property(device => device.Id).ValueGeneratedNever();
        builder.Property(device => device.Platform).HasConversion(
            platform => platform == DevicePlatform.Apns ? "apns" : "fcm",
            stored => stored == "apns" ? DevicePlatform.Apns : DevicePlatform.Fcm).HasMaxLength(8);
        builder.Property(device => device.Token).HasMaxLength(MaxTokenLength);
        builder.Property(device => device.AppVersion).HasMaxLength(MaxAppVersionLength);
        builder.HasOne<User>().WithMany().HasForeignKey(device => device.UserId).OnDelete(DeleteBehavior.Cascade);
        // One owner per token (re-registration moves it); the sender reads a user's devices.
        builder.HasIndex(device => device.Token).IsUnique();
        builder.HasIndex(device => device.UserId);
    }
}

public sealed class PushDeliveryEntityTypeConfiguration : IEntityTypeConfiguration<PushDelivery>
{
    public void Configure(EntityTypeBuilder<PushDelivery> builder)
    {
        builder.ToTable("push_deliveries");
        builder.HasKey(delivery => new { delivery.PushKey, delivery.DeviceId });
        builder.HasOne<Device>().WithMany().HasForeignKey(delivery => delivery.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}
