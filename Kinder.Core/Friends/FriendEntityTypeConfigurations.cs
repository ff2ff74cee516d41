using Kinder.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kinder.Core.Friends;

public sealed class FriendRequestEntityTypeConfiguration : IEntityTypeConfiguration<FriendRequest>
{
    public void Configure(EntityTypeBuilder<FriendRequest> builder)
    {
        builder.ToTable("friend_requests");
        builder.HasKey(request => request.Id);
        builder.Property(request => request.Id).ValueGeneratedNever();
        builder.Property(request => request.Status).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<User>().WithMany().HasForeignKey(request => request.RequesterId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(request => request.AddresseeId).OnDelete(DeleteBehavior.Cascade);
        // One pending request per direction; the lists read pending ones per person, newest first.
        builder.HasIndex(request => new { request.RequesterId, request.AddresseeId }).IsUnique()
            .HasFilter("status = 'Pending'").HasDatabaseName("ux_friend_requests_pending_pair");
        // The last decline between a pair (the cool-down).
        builder.HasIndex(request => new { request.RequesterId, request.AddresseeId, request.RespondedAt })
            .HasFilter("status = 'Declined'").HasDatabaseName("ix_friend_requests_declined");
        builder.HasIndex(request => new { request.AddresseeId, request.CreatedAt }).HasFilter("status = 'Pending'")
            .HasDatabaseName("ix_friend_requests_incoming");
        builder.HasIndex(request => new { request.RequesterId, request.CreatedAt }).HasFilter("status = 'Pending'")
            .HasDatabaseName("ix_friend_requests_outgoing");
    }
}

public sealed class FriendshipEntityTypeConfiguration : IEntityTypeConfiguration<Friendship>
{
    public void Configure(EntityTypeBuilder<Friendship> builder)
    {
        builder.ToTable("friendships");
        builder.HasKey(friendship => new { friendship.UserId, friendship.FriendId });
        builder.HasOne<User>().WithMany().HasForeignKey(friendship => friendship.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(friendship => friendship.FriendId).OnDelete(DeleteBehavior.Cascade);
        // The friends list: newest friend first.
        builder.HasIndex(friendship => new { friendship.UserId, friendship.CreatedAt });
    }
}
