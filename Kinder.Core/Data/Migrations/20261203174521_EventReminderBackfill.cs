using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kinder.Core.Data.Migrations
{
    /// <summary>
    /// Event reminders are planned when an event is created or moved (Notifications/EventReminders.cs); events made
    /// before that get theirs here: the jobs of the reminders still ahead (24h and 1h, as EventReminders.Offsets was
    /// when this was written), with the same keys and payload, so a later move of the event finds them.
    /// </summary>
    public partial class EventReminderBackfill : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                INSERT INTO scheduled_jobs (id, kind, key, due_at, payload, attempts, created_at)
                SELECT gen_random_uuid(), 'event-reminder', 'reminder:' || e.id || ':' || o.name, e.starts_at - o.before,
                       jsonb_build_object('eventId', e.id, 'offset', o.name, 'startsAt', e.starts_at), 0, now()
                FROM events e CROSS JOIN (VALUES ('24h', interval '24 hours'), ('1h', interval '1 hour')) AS o(name, before)
                WHERE e.status = 'Published' AND e.removed_at IS NULL AND e.starts_at - o.before > now()
                ON CONFLICT (key) DO NOTHING;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM scheduled_jobs WHERE kind = 'event-reminder';");
        }
    }
}
