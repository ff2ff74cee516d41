namespace Kinder.Api.Sync;

/// <summary>
/// <c>GET /sync</c>'s SQL. "Changed since" is asked of each row's <c>xmin</c> (the transaction that wrote its current
/// version), never of a timestamp: a transaction can take its timestamp early and commit late, and a cursor built
/// from times would step over it. A row counts as changed when its writer is at or after the cursor's transaction
/// horizon (<c>@since</c>: the oldest transaction of this database still running when the last round read, see
/// <see cref="Snapshot"/>). Every transaction here that committed after that read is at or after the horizon, so none
/// is missed; a few that committed
/// just before it are sent again, which is harmless. Savepoints (EF writes inside one per SaveChanges) have ids above
/// their transaction's, so they count too. <c>xmin</c> is 32 bits: <see cref="Xid8"/> widens it against
/// <c>@current</c> (the snapshot's xmax), exact for anything less than 2^32 transactions old.
/// </summary>
internal static class SyncSql
{
    /// <summary>
    /// The round's horizon and the reference for widening, in the transaction's one snapshot. Transaction ids are the
    /// server's, so the snapshot's running ones include other databases' (another service, a batch job, a backup
    /// restore): one long transaction there would hold the horizon back and every sync would send everything since
    /// it began. So the horizon is the oldest running transaction that could write here: those a session of another
    /// database is running are left out (an xid is one session's, and a session stays in its database). Any the
    /// activity view cannot place (ended since, prepared, or hidden from this role) stay in: a few rows sent again.
    /// </summary>
    public const string Snapshot = """
        WITH snapshot AS (SELECT pg_current_snapshot() AS s),
        elsewhere AS (
            SELECT a.backend_xid::text::bigint AS xid
            FROM pg_stat_activity a
            WHERE a.backend_xid IS NOT NULL AND a.datname <> current_database()
        )
        SELECT coalesce(
                   (SELECT min(x::text::bigint) FROM pg_snapshot_xip(snapshot.s) AS x
                    WHERE x::text::bigint & 4294967295 NOT IN (SELECT xid FROM elsewhere)),
                   pg_snapshot_xmax(snapshot.s)::text::bigint),
               pg_snapshot_xmax(snapshot.s)::text::bigint
        FROM snapshot
        """;

    /// <summary>The caller's memberships that changed, or whose conversation did; leaving shows when incremental.</summary>
    public static readonly string Conversations = $"""
        SELECT c.id, c.last_seq, m.unread_count, m.last_read_seq,
               (m.archived_at IS NOT NULL AND c.last_activity_at <= m.archived_at) AS archived,
               m.left_at IS NOT NULL AS left_conversation
        FROM conversation_members m
        JOIN conversations c ON c.id = m.conversation_id
        WHERE m.user_id = @viewer AND (@after IS NULL OR c.id > @after)
          AND CASE WHEN m.left_at IS NULL THEN {Changed("m")} OR {Changed("c")}
                   ELSE @since IS NOT NULL AND {Changed("m")} END
        ORDER BY c.id
        LIMIT @take
        """;

    /// <summary>Events the caller organises, answered or was invited to, where the event, answer or invite changed.</summary>
    public static readonly string Events = $"""
        WITH mine AS (
            SELECT o.id AS event_id FROM events o WHERE o.organizer_id = @viewer
            UNION SELECT a.event_id FROM event_attendances a WHERE a.user_id = @viewer
            UNION SELECT i.event_id FROM event_invites i WHERE i.invitee_id = @viewer
        )
        SELECT e.id, e.updated_at, a.status, e.status
        FROM mine
        JOIN events e ON e.id = mine.event_id
        LEFT JOIN event_attendances a ON a.event_id = e.id AND a.user_id = @viewer
        LEFT JOIN event_invites i ON i.event_id = e.id AND i.invitee_id = @viewer
        WHERE (@after IS NULL OR e.id > @after)
          AND ({Changed("e")} OR (a.event_id IS NOT NULL AND {Changed("a")})
               OR (i.event_id IS NOT NULL AND {Changed("i")}))
        ORDER BY e.id
        LIMIT @take
        """;

    /// <summary>The caller's feed notifications stored or read since (deletions are not reported).</summary>
    public static readonly string Notifications = $"""
        SELECT n.id, n.type, n.title, n.body, n.data::text, n.read_at, n.created_at
        FROM notifications n
        WHERE n.user_id = @viewer AND n.in_app AND (@after IS NULL OR n.id > @after) AND {Changed("n")}
        ORDER BY n.id
        LIMIT @take
        """;

    private static string Changed(string alias) => $"(@since IS NULL OR {Xid8($"{alias}.xmin")} >= @since)";

    private static string Xid8(string xid) =>
        $"(((@current >> 32) << 32) + {xid}::text::bigint"
        + $" - (CASE WHEN {xid}::text::bigint > (@current & 4294967295) THEN 4294967296 ELSE 0 END))";
}
