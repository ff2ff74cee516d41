using Kinder.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kinder.Core.Events;

public sealed class EventInviteEntityTypeConfiguration : IEntityTypeConfiguration<EventInvite>
{
    public void Configure(EntityTypeBuilder<EventInvite> builder)
    {
        builder.ToTable("event_invites");
        builder.HasKey(invite => new { invite.EventId, invite.InviteeId });
        builder.HasOne<Event>().WithMany().HasForeignKey(invite => invite.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(invite => invite.InviteeId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(invite => invite.InviterId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(invite => invite.InviteeId);
    }
}
