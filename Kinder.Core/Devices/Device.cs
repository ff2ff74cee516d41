namespace Kinder.Core.Devices;

/// <summary>
/// A phone that receives pushes: its push service and the token that service gave the app. A token belongs to one
/// user at a time (unique); registering it again moves it to whoever registered it last (a shared or resold phone).
/// Removed when its owner deregisters it or the push service reports the token dead.
/// </summary>
public sealed class Device
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid UserId { get; set; }
    public required DevicePlatform Platform { get; set; }
    public required string Token { get; init; }
    public string? AppVersion { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastSeenAt { get; set; }
}

/// <summary>The push service a device's token belongs to; stored and sent as <c>fcm</c> / <c>apns</c>.</summary>
public enum DevicePlatform
{
    Fcm,
    Apns,
}

/// <summary>
/// One push delivered (or being delivered) to one device: <see cref="PushKey"/> names the push
/// (<c>DevicePushSender.KeyOf</c>), so a redelivered <c>PushRequested</c> skips the devices it already reached.
/// <see cref="SentAt"/> is null while the send is in flight (claimed, not confirmed).
/// </summary>
public sealed class PushDelivery
{
    public required Guid PushKey { get; init; }
    public required Guid DeviceId { get; init; }
    public DateTimeOffset ClaimedAt { get; init; }
    public DateTimeOffset? SentAt { get; set; }
}
