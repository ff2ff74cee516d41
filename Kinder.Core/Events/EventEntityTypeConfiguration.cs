using Kinder.Core.Identity;
using Kinder.Core.Interests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kinder.Core.Events;

public sealed class EventEntityTypeConfiguration : IEntityTypeConfiguration<Event>
{
    public void Configure(EntityTypeBuilder<Event> builder)
    {
        builder.ToTable("events", table =>
        {
            table.HasCheckConstraint("ck_events_capacity", "capacity IS NULL OR capacity >= 1");
            table.HasCheckConstraint("ck_events_going_within_capacity", "capacity IS NULL OR going_count <= capacity");
            table.HasCheckConstraint("ck_events_price", "price_minor >= 0");
            table.HasCheckConstraint("ck_events_ends_after_start", "ends_at > starts_at");
        });
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.HasOne<User>().WithMany().HasForeignKey(e => e.OrganizerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => e.OrganizerId);
        builder.HasIndex(e => e.CreatedAt); // admin analytics: events created per day
        builder.Property(e => e.Title).HasMaxLength(Event.MaxTitleLength);
        builder.Property(e => e.Description).HasMaxLength(Event.MaxDescriptionLength);
        builder.Property(e => e.Location).HasColumnType("geography (point, 4326)");
        builder.HasIndex(e => e.Location).HasMethod("gist");
        // Discovery's candidates (Kinder.Api/Events/DiscoveryQuery): upcoming public events within a radius, soonest,
        // nearest or most popular first. One GiST index on (location, starts_at, going_count) (btree_gist for the
        // scalars) over just the events discovery may show answers "within r km, starting in the next n days" and
        // "within r km, upcoming, at least k going" as one index condition, and KNN (<->) for nearest first. The price:
        // a change of going_count is no longer a HOT update (the row's index entries are rewritten).
        builder.HasIndex(e => new { e.Location, e.StartsAt, e.GoingCount }).HasMethod("gist")
            .HasFilter("status = 'Published' AND visibility = 'Public'")
            .HasDatabaseName(DiscoveryIndex);
        builder.Property(e => e.Address).HasMaxLength(Event.MaxAddressLength);
        builder.Property(e => e.City).HasMaxLength(Event.MaxCityLength);
        builder.HasOne<Interest>().WithMany().HasForeignKey(e => e.CategoryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => e.CategoryId);
        builder.HasIndex(e => e.StartsAt);
        // The admin dashboard's upcoming count: an index-only scan, not a heap visit per event to read its status.
        builder.HasIndex(e => e.StartsAt, "ix_events_starts_at_published")
            .HasDatabaseName("ix_events_starts_at_published").HasFilter("status = 'Published'");
        builder.Property(e => e.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(e => e.ImageKeys).HasColumnType("text[]");
        builder.Property(e => e.Visibility).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        builder.Ignore(e => e.IsFull);
        ConfigureSearch(builder);
    }

    /// <summary>The partial GiST index discovery's candidate query runs on.</summary>
    public const string DiscoveryIndex = "ix_events_discovery";

    /// <summary>The name of the shadow property (and, snake-cased, the column) holding the search document.</summary>
    public const string SearchVector = "SearchVector";

    /// <summary>
    /// Full-text search: a stored generated <c>tsvector</c> (title weight A, description B, address and city C) with a
    /// GIN index, and a trigram GIN index on the title for typo tolerance. The <c>english</c> configuration stems
    /// ("hiking", "hikes" → "hike") and drops stop words; the app's content is English, and the trigram index covers
    /// what stemming cannot (typos, other languages' words still match as written). The same configuration must be
    /// used for the query (<c>to_tsquery('english', …)</c>).
    /// </summary>
    private static void ConfigureSearch(EntityTypeBuilder<Event> builder)
    {
        builder.Property<NpgsqlTypes.NpgsqlTsVector>(SearchVector)
            .HasComputedColumnSql(
                "setweight(to_tsvector('english', coalesce(title, '')), 'A') || " +
                "setweight(to_tsvector('english', coalesce(description, '')), 'B') || " +
                "setweight(to_tsvector('english', coalesce(address, '') || ' ' || coalesce(city, '')), 'C')",
                stored: true);
        builder.HasIndex(SearchVector).HasMethod("gin");
        builder.HasIndex(e => e.Title).HasMethod("gin").HasOperators("gin_trgm_ops")
            .HasDatabaseName("ix_events_title_trgm");
    }
}

public sealed class EventAttendanceEntityTypeConfiguration : IEntityTypeConfiguration<EventAttendance>
{
    public void Configure(EntityTypeBuilder<EventAttendance> builder)
    {
        builder.ToTable("event_attendances");
        builder.HasKey(a => new { a.EventId, a.UserId });
        builder.HasOne<Event>().WithMany().HasForeignKey(a => a.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
        // Paging an event's attendees by status, and the waitlist in order; one sequence number per change.
        builder.HasIndex(a => new { a.EventId, a.Status, a.Sequence });
        builder.HasIndex(a => new { a.EventId, a.Sequence }).IsUnique();
        builder.HasIndex(a => a.UserId);
        // Admin analytics (RSVPs per day): a range of answers by when they were given.
        builder.HasIndex(a => a.CreatedAt);
    }
}
