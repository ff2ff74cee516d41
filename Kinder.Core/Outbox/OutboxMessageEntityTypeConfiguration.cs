using Kinder.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kinder.Core.Outbox;

public sealed class OutboxMessageEntityTypeConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox_messages");
        builder.HasKey(message => message.Id);
        builder.Property(message => message.Id).ValueGeneratedNever();
        builder.Property(message => message.Sequence).UseIdentityAlwaysColumn();
        builder.Property(message => message.Topic).HasMaxLength(200);
        builder.Property(message => message.Key).HasMaxLength(200);
        builder.Property(message => message.Type).HasMaxLength(200);
        builder.Property(message => message.Payload).HasColumnType("jsonb");
        builder.Property(message => message.TraceParent).HasMaxLength(55);
        builder.Property(message => message.TraceState).HasMaxLength(512);
        // The relay only ever looks for what is still unpublished, in insertion order.
        builder.HasIndex(message => message.Sequence)
            .HasDatabaseName("ix_outbox_messages_unpublished")
            .HasFilter("published_at IS NULL");
        builder.HasIndex(message => message.PublishedAt);
    }
}
