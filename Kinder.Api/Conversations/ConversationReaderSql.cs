namespace Kinder.Api.Conversations;

/// <summary>
/// The conversation reader's SQL (names as the snake-case EF model maps them). Each read is one statement: a source
/// CTE <c>listed(id, ord, activity, as_of)</c> picks the conversations, <see cref="Projection"/> adds everything a
/// <see cref="ConversationResponse"/> holds, so a list page costs one round trip and one snapshot.
/// </summary>
internal static class ConversationReaderSql
{
    /// <summary>The conversations <c>@ids</c>, in that order.</summary>
    public const string ByIds = """
        WITH listed AS (
            SELECT t.id, t.ord, NULL::timestamptz AS activity, NULL::timestamptz AS as_of, false AS more
            FROM unnest(@ids) WITH ORDINALITY AS t(id, ord)
        )
        """ + Projection;

    /// <summary>
    /// <c>GET /conversations</c>' page: the viewer's conversations by last activity as of the pinned time (<c>@as_of</c>,
    /// or on the first page the latest of <c>@now</c> and every activity the viewer can see), archived ones only or
    /// all but them (<c>@archived</c>), after the cursor (<c>@after_activity</c>, <c>@after_id</c>), <c>@limit</c> of
    /// them plus whether more follow (ListConversations explains the pinning).
    /// </summary>
    public const string Page = """
        WITH mine AS (
            SELECT c.id, c.created_at, c.last_activity_at, m.archived_at
            FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id
            WHERE m.user_id = @viewer AND m.left_at IS NULL
        ),
        pinned AS (
            SELECT coalesce(@as_of, greatest(@now, (SELECT max(last_activity_at) FROM mine))) AS as_of
        ),
        keyed AS (
            SELECT mine.id, p.as_of,
                   CASE WHEN mine.last_activity_at <= p.as_of THEN mine.last_activity_at
                        ELSE coalesce((SELECT m.created_at FROM messages m
                                       WHERE m.conversation_id = mine.id AND m.created_at <= p.as_of
                                       ORDER BY m.seq DESC LIMIT 1), mine.created_at)
                   END AS activity
            FROM mine CROSS JOIN pinned p
            WHERE mine.created_at <= p.as_of
              AND CASE WHEN @archived THEN mine.archived_at IS NOT NULL AND mine.last_activity_at <= mine.archived_at
                       ELSE mine.archived_at IS NULL OR mine.last_activity_at > mine.archived_at END
        ),
        ranked AS (
            SELECT id, activity, as_of, row_number() OVER (ORDER BY activity DESC, id DESC) AS ord
            FROM keyed
            WHERE @after_activity IS NULL OR (activity, id) < (@after_activity, @after_id)
            ORDER BY activity DESC, id DESC
            LIMIT @limit + 1
        ),
        listed AS (
            SELECT id, ord, activity, as_of, (SELECT count(*) FROM ranked) > @limit AS more
            FROM ranked WHERE ord <= @limit
        )
        """ + Projection;

    /// <summary>
    /// One row per listed conversation the viewer is an active member of, in <c>ord</c> order: the conversation, the
    /// viewer's membership, the member count, the members (oldest first; none for event discussions unless
    /// <c>@event_members</c>), the last message and its reactions (per emoji: count and first reaction time), and
    /// the source's own columns (a page's sort key, pinned time and whether more follow).
    /// </summary>
    private const string Projection = """
        SELECT c.id, c.type, c.title, c.event_id, c.owner_id, c.last_seq, c.last_activity_at, c.read_only_after,
               c.created_at,
               me.unread_count, me.last_read_seq, me.archived_at,
               roster.members,
               roster.ids, roster.names, roster.avatar_keys, roster.roles, roster.joined,
               lm.id, lm.sender_id, lm.client_message_id, lm.type, lm.body, lm.attachments, lm.event_id, lm.created_at,
               lm.edited_at, lm.deleted_at,
               reacted.emojis, reacted.counts, reacted.firsts,
               l.activity, l.as_of, l.more
        FROM listed l
        JOIN conversations c ON c.id = l.id
        JOIN conversation_members me ON me.conversation_id = c.id AND me.user_id = @viewer AND me.left_at IS NULL
        CROSS JOIN LATERAL (
            -- One scan of the members, sorted once (the aggregates take the subquery's order); users only when listed.
            SELECT count(*)::int AS members,
                   array_agg(s.user_id) FILTER (WHERE s.listed) AS ids,
                   array_agg(s.display_name) FILTER (WHERE s.listed) AS names,
                   array_agg(s.avatar_key) FILTER (WHERE s.listed) AS avatar_keys,
                   array_agg(s.role) FILTER (WHERE s.listed) AS roles,
                   array_agg(s.joined_at) FILTER (WHERE s.listed) AS joined
            FROM (SELECT cm.user_id, cm.role, cm.joined_at, u.display_name, u.avatar_key, u.id IS NOT NULL AS listed
                  FROM conversation_members cm
                  LEFT JOIN users u ON u.id = cm.user_id AND (@event_members OR c.type <> 'Event')
                  WHERE cm.conversation_id = c.id AND cm.left_at IS NULL
                  ORDER BY cm.joined_at, cm.user_id) s
        ) roster
        LEFT JOIN messages lm ON lm.conversation_id = c.id AND lm.seq = c.last_seq
        LEFT JOIN LATERAL (
            SELECT array_agg(r.emoji) AS emojis, array_agg(r.count) AS counts, array_agg(r.first) AS firsts
            FROM (SELECT emoji, count(*)::int AS count, min(created_at) AS first FROM message_reactions
                  WHERE message_id = lm.id GROUP BY emoji) r
        ) reacted ON true
        ORDER BY l.ord
        """;
}
