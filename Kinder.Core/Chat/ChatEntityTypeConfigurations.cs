using Kinder.Core.Events;
using Kinder.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kinder.Core.Chat;

public sealed class ConversationEntityTypeConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> builder)
    {
        builder.ToTable("conversations");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Type).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Title).HasMaxLength(Conversation.MaxTitleLength);
        builder.HasOne<User>().WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Event>().WithMany().HasForeignKey(c => c.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => c.EventId).IsUnique();
        builder.Property(c => c.DirectKey).HasMaxLength(65);
        builder.HasIndex(c => c.DirectKey).IsUnique();
    }
}

public sealed class ConversationMemberEntityTypeConfiguration : IEntityTypeConfiguration<ConversationMember>
{
    public void Configure(EntityTypeBuilder<ConversationMember> builder)
    {
        builder.ToTable("conversation_members");
        builder.HasKey(m => new { m.ConversationId, m.UserId });
        builder.HasOne<Conversation>().WithMany().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        builder.Ignore(m => m.IsActive);
        // A user's conversations (the list, presence contacts).
        builder.HasIndex(m => m.UserId);
    }
}

public sealed class MessageEntityTypeConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.ToTable("messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.HasOne<Conversation>().WithMany().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Cascade);
        // History is read by seq; the unique index also makes a second message with one seq impossible.
        builder.HasIndex(m => new { m.ConversationId, m.Seq }).IsUnique();
        builder.HasOne<User>().WithMany().HasForeignKey(m => m.SenderId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(m => m.SenderId);
        // Admin dashboard and analytics (messages per day). BRIN: rows arrive in created_at order, so a few block
        // ranges answer a time range, and the index costs the chat's hot insert path next to nothing.
        builder.HasIndex(m => m.CreatedAt).HasMethod("brin").HasDatabaseName("ix_messages_created_at_brin");
        builder.Property(m => m.ClientMessageId).HasMaxLength(Message.MaxClientMessageIdLength * 2);
        builder.Property(m => m.Type).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.Body).HasMaxLength(Message.MaxBodyLength);
        // Serialised here rather than by Npgsql's dynamic JSON (which needs an opt-in on the data source every host
        // builds): the column is jsonb either way.
        builder.Property(m => m.Attachments).HasColumnType("jsonb").HasConversion(
            attachments => MessageAttachmentJson.Write(attachments),
            json => MessageAttachmentJson.Read(json),
            new ValueComparer<List<MessageAttachment>>(
                (left, right) => left!.SequenceEqual(right!),
                attachments => attachments.Aggregate(0, (hash, attachment) => HashCode.Combine(hash, attachment.GetHashCode())),
                attachments => attachments.ToList()));
        builder.HasOne<Event>().WithMany().HasForeignKey(m => m.EventId).OnDelete(DeleteBehavior.SetNull);
    }
}

public sealed class MessageReactionEntityTypeConfiguration : IEntityTypeConfiguration<MessageReaction>
{
    public void Configure(EntityTypeBuilder<MessageReaction> builder)
    {
        builder.ToTable("message_reactions");
        builder.HasKey(r => new { r.MessageId, r.UserId, r.Emoji });
        builder.Property(r => r.Emoji).HasMaxLength(MessageReaction.MaxEmojiLength);
        builder.HasOne<Message>().WithMany().HasForeignKey(r => r.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class UserBlockEntityTypeConfiguration : IEntityTypeConfiguration<UserBlock>
{
    public void Configure(EntityTypeBuilder<UserBlock> builder)
    {
        builder.ToTable("user_blocks", table => table.HasCheckConstraint("ck_user_blocks_not_self", "blocker_id <> blocked_id"));
        builder.HasKey(b => new { b.BlockerId, b.BlockedId });
        builder.HasOne<User>().WithMany().HasForeignKey(b => b.BlockerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(b => b.BlockedId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(b => b.BlockedId);
    }
}
