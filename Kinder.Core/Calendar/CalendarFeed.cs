using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kinder.Core.Calendar;

/// <summary>
/// A user's secret calendar feed URL. The token is an HMAC of <see cref="Id"/> under the server's key, so it can be
/// shown again without being stored; the table keeps only its SHA-256 (<see cref="TokenHash"/>) to find the feed by.
/// Rotating replaces the row, and with it the URL.
/// </summary>
public sealed class CalendarFeed
{
    public Guid UserId { get; init; }
    public Guid Id { get; init; } = Guid.NewGuid();
    public required byte[] TokenHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class CalendarFeedEntityTypeConfiguration : IEntityTypeConfiguration<CalendarFeed>
{
    public void Configure(EntityTypeBuilder<CalendarFeed> builder)
    {
        builder.ToTable("calendar_feeds");
        builder.HasKey(feed => feed.UserId);
        builder.HasIndex(feed => feed.TokenHash).IsUnique();
        builder.HasOne<Identity.User>().WithMany().HasForeignKey(feed => feed.UserId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}
