using System.Text.Json;
using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Notifications;
using Kinder.Core.Outbox;
using Kinder.Core.Profiles;
using Kinder.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Workers.Notifications;

/// <summary>
/// Runs due <see cref="ScheduledJob"/>s: each is taken with <c>FOR UPDATE SKIP LOCKED</c> (replicas take different
/// ones), done and deleted in one transaction, so it runs once and survives a crash (the row is still there). A
/// failing job is tried again later with backoff and dropped, logged, after <see cref="MaxAttempts"/>. "Due" is read
/// from <see cref="TimeProvider"/>, so tests move the clock.
/// </summary>
public sealed class ScheduledJobRunner(IServiceScopeFactory scopes, IOptions<NotificationOptions> options,
    TimeProvider time, ILogger<ScheduledJobRunner> logger) : PeriodicService(logger)
{
    public const int MaxAttempts = 10;

    // Polled in real time, not on the TimeProvider: a test's clock decides what is due, not how often we look.
    protected override TimeProvider WaitClock => TimeProvider.System;

    protected override TimeSpan Interval => options.Value.SchedulerPollInterval;

    protected override string Work => "Running due scheduled jobs";

    protected override async Task RunPassAsync(CancellationToken cancellationToken)
    {
        while (await RunNextAsync(cancellationToken))
        {
        }
    }

    /// <summary>Runs one due job; false when none is due.</summary>
    public async Task<bool> RunNextAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KinderDbContext>();
        var now = time.GetUtcNow();
        ScheduledJob? failed = null;
        Exception? failure = null;
        bool ran;
        try
        {
            ran = await db.InTransactionAsync(async token =>
            {
                var job = await db.ScheduledJobs
                    .FromSql($"SELECT * FROM scheduled_jobs WHERE due_at <= {now} ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED")
                    .FirstOrDefaultAsync(token);
                if (job is null)
                    return false;
                try
                {
                    // A recurring job (a digest) moves itself to its next time instead of going.
                    if (!await RunAsync(scope.ServiceProvider, db, job, token))
                        db.ScheduledJobs.Remove(job);
                    await db.SaveChangesAsync(token);
                }
                catch (Exception exception) when (exception is not OperationCanceledException && exception is not DbUpdateConcurrencyException)
                {
                    (failed, failure) = (job, exception);
                    throw;
                }
                return true;
            }, cancellationToken);
        }
        catch (Exception) when (failed is not null)
        {
            // The job's work rolled back; it is tried again later, the next due job meanwhile.
            await PostponeAsync(db, failed, failure!, now, cancellationToken);
            ran = true;
        }
        return ran;
    }

    /// <summary>Does the job's work; true when the job planned its next run and stays.</summary>
    private static async Task<bool> RunAsync(IServiceProvider services, KinderDbContext db, ScheduledJob job, CancellationToken cancellationToken)
    {
        switch (job.Kind)
        {
            case ScheduledJobKinds.ChatNotification:
                await services.GetRequiredService<ChatNotifications>().RunAsync(
                    JsonSerializer.Deserialize<ChatNotificationDue>(job.Payload, JsonSerializerOptions.Web)!, cancellationToken);
                return false;
            case ScheduledJobKinds.HeldPush:
                var push = JsonSerializer.Deserialize<PushRequested>(job.Payload, KafkaEnvelope.JsonOptions)!;
                db.AddIntegrationEvent(Topics.NotificationsPush, push.UserId.ToString(), push);
                return false;
            case ScheduledJobKinds.EventReminder:
                await services.GetRequiredService<EventReminderNotifications>().RunAsync(
                    JsonSerializer.Deserialize<EventReminderDue>(job.Payload, JsonSerializerOptions.Web)!, cancellationToken);
                return false;
            case ScheduledJobKinds.Digest:
                return await services.GetRequiredService<DigestMails>().RunAsync(job,
                    JsonSerializer.Deserialize<DigestDue>(job.Payload, JsonSerializerOptions.Web)!, cancellationToken);
            default:
                throw new InvalidOperationException($"No scheduled job kind '{job.Kind}'.");
        }
    }

    private async Task PostponeAsync(KinderDbContext db, ScheduledJob job, Exception failure, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var attempts = job.Attempts + 1;
        if (attempts >= MaxAttempts)
        {
            logger.LogError(failure, "Scheduled job {Kind} {Key} failed {Attempts} times; dropped", job.Kind, job.Key, attempts);
            await db.ScheduledJobs.Where(j => j.Id == job.Id).ExecuteDeleteAsync(cancellationToken);
            return;
        }
        logger.LogWarning(failure, "Scheduled job {Kind} {Key} failed; tried again later", job.Kind, job.Key);
        var retryAt = now + TimeSpan.FromSeconds(Math.Min(3600, Math.Pow(2, attempts)));
        var error = failure.Message.Length > 500 ? failure.Message[..500] : failure.Message;
        await db.ScheduledJobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(j => j
            .SetProperty(x => x.Attempts, attempts).SetProperty(x => x.DueAt, retryAt).SetProperty(x => x.LastError, error),
            cancellationToken);
    }
}
