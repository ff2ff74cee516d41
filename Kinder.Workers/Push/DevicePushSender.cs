using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Devices;
using Kinder.Workers.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Workers.Push;

/// <summary>
/// Fans a <see cref="PushRequested"/> out to the user's devices through FCM or APNs, each device at most once per
/// push (<see cref="KeyOf"/>): before a send the (push, device) pair is claimed in <c>push_deliveries</c>, after it
/// the claim is marked sent; a redelivered record skips devices marked sent. The crash window: a crash after the
/// service accepted a push but before the mark is written sends that one device the push again on redelivery
/// (at least once, never lost). The copy carries the same <c>apns-id</c> and collapse id, so the phone replaces the
/// first with it instead of showing two. A dead token deletes the device (and its claims); a failure the service may
/// recover from is thrown after the other devices were tried, so the consumer retries the record with backoff (only
/// the devices not yet sent) and dead-letters it in the end.
/// </summary>
public sealed class DevicePushSender(KinderDbContext db, FcmSender fcm, ApnsSender apns, IOptions<PushOptions> options,
    TimeProvider time, ILogger<DevicePushSender> logger) : IPushSender
{
    public async Task SendAsync(PushRequested push, Guid pushId, CancellationToken cancellationToken)
    {
        var devices = await db.Devices.AsNoTracking().Where(d => d.UserId == push.UserId).OrderBy(d => d.Id)
            .Select(d => new { d.Id, d.Platform, d.Token }).ToListAsync(cancellationToken);
        if (devices.Count == 0)
        {
            logger.LogDebug("Push {PushId} ({Kind}) for user {UserId}: no devices", pushId, push.Kind, push.UserId);
            return;
        }
        var pushKey = KeyOf(push, pushId);
        var message = PushMessage.From(push, pushKey);
        var failures = new List<Exception>();
        foreach (var device in devices)
        {
            if (!IsConfigured(device.Platform))
            {
                logger.LogWarning("Push {PushId} not sent to device {DeviceId}: {Platform} is not configured (Push:{Platform}:…)",
                    pushId, device.Id, device.Platform, device.Platform);
                continue;
            }
            if (!await ClaimAsync(pushKey, device.Id, cancellationToken))
            {
                logger.LogDebug("Push {PushId} was sent to device {DeviceId} already", pushId, device.Id);
                continue;
            }
            try
            {
                var outcome = device.Platform == DevicePlatform.Apns
                    ? await apns.SendAsync(message, device.Token, ApnsId(pushKey, device.Id), cancellationToken)
                    : await fcm.SendAsync(message, device.Token, cancellationToken);
                if (outcome == PushOutcome.DeadToken)
                {
                    // Deletes its claims too (cascade); the token never comes back unless the app registers it again.
                    await db.Devices.Where(d => d.Id == device.Id).ExecuteDeleteAsync(cancellationToken);
                    logger.LogInformation("Device {DeviceId} ({Platform}) removed: the push service reports its token dead",
                        device.Id, device.Platform);
                    continue;
                }
                await db.PushDeliveries.Where(d => d.PushKey == pushKey && d.DeviceId == device.Id)
                    .ExecuteUpdateAsync(d => d.SetProperty(delivery => delivery.SentAt, time.GetUtcNow()), cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failures.Add(exception);
            }
        }
        if (failures.Count == 1)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failures[0]);
        if (failures.Count > 1)
            throw new AggregateException($"Push {pushId} failed on {failures.Count} devices", failures);
    }

    /// <summary>
    /// What names a push for "once per device": the message for a chat push (a message is pushed once, whichever
    /// record asked), else the stored notification, else the record itself (its envelope id).
    /// </summary>
    public static Guid KeyOf(PushRequested push, Guid pushId) => push.MessageId ?? push.NotificationId ?? pushId;

    /// <summary>The same for every attempt at one (push, device): APNs and the phone see a resend as the same notification.</summary>
    public static Guid ApnsId(Guid pushKey, Guid deviceId)
    {
        Span<byte> bytes = stackalloc byte[16];
        Span<byte> other = stackalloc byte[16];
        pushKey.TryWriteBytes(bytes);
        deviceId.TryWriteBytes(other);
        for (var i = 0; i < bytes.Length; i++)
            bytes[i] ^= other[i];
        return new Guid(bytes);
    }

    private bool IsConfigured(DevicePlatform platform) =>
        platform == DevicePlatform.Apns ? options.Value.Apns.IsConfigured : options.Value.Fcm.IsConfigured;

    /// <summary>True unless a send of this push to this device was confirmed before (an unconfirmed claim is sent again).</summary>
    private async Task<bool> ClaimAsync(Guid pushKey, Guid deviceId, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO push_deliveries (push_key, device_id, claimed_at) VALUES ({pushKey}, {deviceId}, {time.GetUtcNow()})
            ON CONFLICT (push_key, device_id) DO NOTHING
            """, cancellationToken);
        return await db.PushDeliveries.Where(d => d.PushKey == pushKey && d.DeviceId == deviceId)
            .Select(d => d.SentAt).SingleAsync(cancellationToken) is null;
    }
}
