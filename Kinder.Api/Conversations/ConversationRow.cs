using Kinder.Core.Chat;
using Kinder.Core.Storage;
using Npgsql;

namespace Kinder.Api.Conversations;

/// <summary>
/// One row of <see cref="ConversationReaderSql"/>: a conversation as its viewer sees it, and for a list page its sort
/// key (<see cref="Activity"/>), the pinned time (<see cref="AsOf"/>) and whether more rows follow (<see cref="More"/>).
/// </summary>
public sealed record ConversationRow(
    Conversation Conversation,
    int UnreadCount,
    long LastReadSeq,
    DateTimeOffset? ArchivedAt,
    int MemberCount,
    IReadOnlyList<ConversationMemberResponse>? Members,
    MessageView? LastMessage,
    DateTimeOffset? Activity,
    DateTimeOffset? AsOf,
    bool More)
{
    public ConversationResponse Response(DateTimeOffset now) => new(
        Conversation.Id,
        Conversation.Type,
        Conversation.Title,
        Conversation.EventId,
        Conversation.OwnerId,
        Members,
        MemberCount,
        LastMessage,
        Conversation.LastSeq,
        UnreadCount,
        LastReadSeq,
        ConversationReader.IsArchived(ArchivedAt, Conversation.LastActivityAt),
        Conversation.IsReadOnlyAt(now),
        Conversation.LastActivityAt,
        Conversation.CreatedAt);

    /// <summary>The current row, by the projection's column order.</summary>
    public static ConversationRow Read(NpgsqlDataReader reader, ObjectStorage storage)
    {
        var conversation = new Conversation
        {
            Id = reader.GetGuid(0),
            Type = Enum.Parse<ConversationType>(reader.GetString(1)),
            Title = NullOr<string>(reader, 2),
            EventId = NullOr<Guid?>(reader, 3),
            OwnerId = NullOr<Guid?>(reader, 4),
            LastSeq = reader.GetInt64(5),
            LastActivityAt = reader.GetFieldValue<DateTimeOffset>(6),
            ReadOnlyAfter = NullOr<DateTimeOffset?>(reader, 7),
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(8),
        };
        return new ConversationRow(
            conversation,
            reader.GetInt32(9),
            reader.GetInt64(10),
            NullOr<DateTimeOffset?>(reader, 11),
            reader.GetInt32(12),
            reader.IsDBNull(13) ? null : ReadMembers(reader, storage),
            reader.IsDBNull(18) ? null : ReadLastMessage(reader, conversation.Id, storage),
            NullOr<DateTimeOffset?>(reader, 31),
            NullOr<DateTimeOffset?>(reader, 32),
            reader.GetBoolean(33));
    }

    private static List<ConversationMemberResponse> ReadMembers(NpgsqlDataReader reader, ObjectStorage storage)
    {
        var ids = reader.GetFieldValue<Guid[]>(13);
        var names = reader.GetFieldValue<string[]>(14);
        var avatarKeys = reader.GetFieldValue<string?[]>(15);
        var roles = reader.GetFieldValue<string[]>(16);
        var joined = reader.GetFieldValue<DateTimeOffset[]>(17);
        var members = new List<ConversationMemberResponse>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            members.Add(new ConversationMemberResponse(ids[i], names[i], storage.UrlFor(avatarKeys[i]),
                Enum.Parse<MemberRole>(roles[i]), joined[i]));
        }
        return members;
    }

    private static MessageView ReadLastMessage(NpgsqlDataReader reader, Guid conversationId, ObjectStorage storage)
    {
        var message = new Message
        {
            Id = reader.GetGuid(18),
            ConversationId = conversationId,
            Seq = reader.GetInt64(5),
            SenderId = NullOr<Guid?>(reader, 19),
            ClientMessageId = reader.GetString(20),
            Type = Enum.Parse<MessageType>(reader.GetString(21)),
            Body = NullOr<string>(reader, 22),
            Attachments = MessageAttachmentJson.Read(reader.GetString(23)),
            EventId = NullOr<Guid?>(reader, 24),
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(25),
            EditedAt = NullOr<DateTimeOffset?>(reader, 26),
            DeletedAt = NullOr<DateTimeOffset?>(reader, 27),
        };
        var reactions = reader.IsDBNull(28)
            ? ConversationReader.InOrder([])
            : ConversationReader.InOrder(reader.GetFieldValue<string[]>(28)
                .Zip(reader.GetFieldValue<int[]>(29), reader.GetFieldValue<DateTimeOffset[]>(30))
                .Select(reaction => (reaction.First, reaction.Second, reaction.Third)));
        // Attachments are private: short-lived signed URLs, for the members this view is read by.
        return MessageView.From(message, reactions, storage.SignedUrlFor);
    }

    private static T? NullOr<T>(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? default : reader.GetFieldValue<T>(ordinal);
}
