using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Preferences;
using Kinder.Core.Profiles;
using Kinder.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Kinder.Api.Friends;

/// <summary>
/// People by display name: names starting with the text (or with a word that does) first, then names that look like
/// it (trigram word similarity: typos, a missing letter), best match first. Both use the name's trigram index. Hidden:
/// the caller, deleted accounts, anyone blocked either way and anyone whose profile visibility is <c>nobody</c>.
/// </summary>
public sealed class SearchUsers(KinderDbContext db, ObjectStorage storage)
{
    /// <summary>Lower than pg_trgm's 0.6: "Christpher" still finds "Christopher".</summary>
    private const string SetThreshold = "SET LOCAL pg_trgm.word_similarity_threshold = 0.4";

    private const string Sql = $"""
        SELECT s.id, s.display_name, s.avatar_key, s.score
        FROM (
            SELECT u.id, u.display_name, u.avatar_key,
                   ((u.display_name ILIKE @prefix OR u.display_name ILIKE @word_prefix)::integer
                    + word_similarity(@q, u.display_name))::real AS score
            FROM users u
            WHERE (u.display_name ILIKE @prefix OR u.display_name ILIKE @word_prefix OR @q <% u.display_name)
              AND u.deleted_at IS NULL AND u.id <> @viewer
              AND NOT EXISTS (SELECT 1 FROM user_blocks b
                              WHERE (b.blocker_id = @viewer AND b.blocked_id = u.id)
                                 OR (b.blocker_id = u.id AND b.blocked_id = @viewer))
              AND NOT EXISTS (SELECT 1 FROM user_preferences p
                              WHERE p.user_id = u.id AND p.key = '{PreferenceKeys.Privacy}'
                                AND p.value ->> 'profileVisibility' = '{PrivacySettings.Nobody}')
        ) s
        WHERE @after_score IS NULL OR s.score < @after_score::real OR (s.score = @after_score::real AND s.id > @after_id)
        ORDER BY s.score DESC, s.id
        LIMIT @take
        """;

    public async Task<PersonPage> HandleAsync(UserSearchQuery query, ClaimsPrincipal principal,
        CancellationToken cancellationToken)
    {
        var pageSize = Paging.PageSize(query.Limit);
        UserSearchCursor.TryDecode(query.Cursor, out var after);
        var text = query.Text();
        var escaped = text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
        var rows = await db.InTransactionAsync(async token =>
        {
            await db.Database.ExecuteSqlRawAsync(SetThreshold, token);
            return await db.ReadRawAsync(Sql,
                [
                    new NpgsqlParameter<string>("q", text),
                    new NpgsqlParameter<string>("prefix", escaped + "%"),
                    new NpgsqlParameter<string>("word_prefix", "% " + escaped + "%"),
                    new NpgsqlParameter<Guid>("viewer", principal.GetUserId()),
                    new NpgsqlParameter("after_score", NpgsqlDbType.Double) { Value = (object?)after?.Score ?? DBNull.Value },
                    new NpgsqlParameter("after_id", NpgsqlDbType.Uuid) { Value = (object?)after?.UserId ?? DBNull.Value },
                    new NpgsqlParameter<int>("take", pageSize + 1),
                ],
                reader => (Person: new PersonResponse(reader.GetGuid(0), reader.GetString(1),
                    storage.UrlFor(reader.IsDBNull(2) ? null : reader.GetString(2))), Score: (double)reader.GetFloat(3)),
                token);
        }, cancellationToken);
        var page = rows.Take(pageSize).ToList();
        var next = rows.Count > pageSize ? new UserSearchCursor(page[^1].Score, page[^1].Person.Id).Encode() : null;
        return new PersonPage(page.Select(row => row.Person).ToList(), next);
    }
}
