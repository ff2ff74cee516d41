using System.Data;
using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Identity;
using Kinder.Core.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Kinder.Api.Sync;

/// <summary>
/// One page of what changed for the caller since the cursor (<see cref="SyncSql"/> explains "changed"). A page reads
/// in one REPEATABLE READ snapshot; a round's first page fixes the horizon the next round starts from, so a change
/// committed while a client pages through is sent in this round or the next, never lost.
/// </summary>
public sealed class SyncChanges(KinderDbContext db)
{
    /// <summary>Widening a 32-bit xmin is exact only this far back: an older cursor starts over.</summary>
    private const long MaxCursorAge = 1L << 31;

    public async Task<Results<Ok<SyncResponse>, ValidationProblem>> HandleAsync(SyncRequest request,
        ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        SyncCursor.TryDecode(request.Since, out var cursor);
        cursor ??= new SyncCursor(null, null, SyncCursor.ConversationsPhase, null);
        var viewerId = principal.GetUserId();
        var take = request.PageSize();

        var page = await db.Database.CreateExecutionStrategy().ExecuteAsync<Page?>(async token =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, token);
            var (horizon, current) = (await db.ReadRawAsync(SyncSql.Snapshot, [],
                reader => (reader.GetInt64(0), reader.GetInt64(1)), token))[0];
            if (cursor.Since is { } since && current - since > MaxCursorAge)
            {
                return null;
            }
            var round = cursor.Round ?? horizon;
            var conversations = new List<SyncConversation>();
            var events = new List<SyncEvent>();
            var (phase, after) = (cursor.Phase, cursor.After);
            if (phase == SyncCursor.ConversationsPhase)
            {
                conversations = await db.ReadRawAsync(SyncSql.Conversations,
                    Parameters(viewerId, cursor.Since, current, after, take + 1),
                    reader => new SyncConversation(reader.GetGuid(0), reader.GetInt64(1), reader.GetInt32(2),
                        reader.GetInt64(3), reader.GetBoolean(4), reader.GetBoolean(5)), token);
                if (conversations.Count > take)
                {
                    await transaction.CommitAsync(token);
                    conversations.RemoveAt(take);
                    return new Page(conversations, events, [], new SyncCursor(cursor.Since, round, phase, conversations[^1].Id));
                }
                (phase, after) = (SyncCursor.EventsPhase, null);
            }
            var room = take - conversations.Count;
            if (phase == SyncCursor.EventsPhase)
            {
                events = await db.ReadRawAsync(SyncSql.Events,
                    Parameters(viewerId, cursor.Since, current, after, room + 1),
                    reader => new SyncEvent(reader.GetGuid(0), new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero),
                        reader.IsDBNull(2) ? null : Enum.Parse<AttendanceStatus>(reader.GetString(2)),
                        Enum.Parse<EventStatus>(reader.GetString(3))), token);
                if (events.Count > room)
                {
                    await transaction.CommitAsync(token);
                    events.RemoveAt(room);
                    // A page full of conversations leaves no room: the events start on the next page.
                    return new Page(conversations, events, [],
                        new SyncCursor(cursor.Since, round, phase, events.Count > 0 ? events[^1].Id : after));
                }
                (phase, after, room) = (SyncCursor.NotificationsPhase, null, room - events.Count);
            }
            var notifications = await db.ReadRawAsync(SyncSql.Notifications,
                Parameters(viewerId, cursor.Since, current, after, room + 1),
                reader => new NotificationView(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    NotificationData.FromJson(reader.GetString(4)),
                    reader.IsDBNull(5) ? null : new DateTimeOffset(reader.GetDateTime(5), TimeSpan.Zero),
                    new DateTimeOffset(reader.GetDateTime(6), TimeSpan.Zero)), token);
            await transaction.CommitAsync(token);
            if (notifications.Count > room)
            {
                notifications.RemoveAt(room);
                return new Page(conversations, events, notifications,
                    new SyncCursor(cursor.Since, round, phase, notifications.Count > 0 ? notifications[^1].Id : after));
            }
            return new Page(conversations, events, notifications, null, round);
        }, cancellationToken);

        if (page is null)
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["since"] = ["This cursor is too old; sync again without one (a full snapshot)."],
            });
        }
        var next = page.Next ?? new SyncCursor(page.Round, null, SyncCursor.ConversationsPhase, null);
        return TypedResults.Ok(new SyncResponse(page.Conversations, page.Notifications, page.Events, next.Encode(), page.Next is not null));
    }

    private static NpgsqlParameter[] Parameters(Guid viewerId, long? since, long current, Guid? after, int take) =>
    [
        new NpgsqlParameter<Guid>("viewer", viewerId),
        new NpgsqlParameter("since", NpgsqlDbType.Bigint) { Value = (object?)since ?? DBNull.Value },
        new NpgsqlParameter<long>("current", current),
        new NpgsqlParameter("after", NpgsqlDbType.Uuid) { Value = (object?)after ?? DBNull.Value },
        new NpgsqlParameter<int>("take", take),
    ];

    /// <summary>A page, and either where the round goes on (<see cref="Next"/>) or the horizon it ends with.</summary>
    private sealed record Page(List<SyncConversation> Conversations, List<SyncEvent> Events,
        List<NotificationView> Notifications, SyncCursor? Next,
        long? Round = null);
}
