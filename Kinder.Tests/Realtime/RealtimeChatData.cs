using Kinder.Core.Chat;
using Kinder.Core.Identity;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Realtime;

/// <summary>Users, conversations and blocks written straight into a Realtime test host's database.</summary>
public static class RealtimeChatData
{
    public static Task<User> CreateUserAsync(this RealtimeFactory realtime, string displayName = "Test User",
        bool emailVerified = true) =>
        TestUsers.CreateAsync(realtime.DatabaseConnectionString, user =>
        {
            user.DisplayName = displayName;
            user.EmailVerified = emailVerified;
        });

    public static async Task<Conversation> CreateConversationAsync(this RealtimeFactory realtime, ConversationType type,
        IReadOnlyList<User> members, string? title = null, DateTimeOffset? readOnlyAfter = null, long lastSeq = 0)
    {
        var conversation = new Conversation
        {
            Type = type,
            Title = title,
            OwnerId = type == ConversationType.Direct ? null : members[0].Id,
            DirectKey = type == ConversationType.Direct ? DirectKeys.For(members[0].Id, members[1].Id) : null,
            ReadOnlyAfter = readOnlyAfter,
            LastSeq = lastSeq,
        };
        await using var db = TestDatabases.CreateContext(realtime.DatabaseConnectionString);
        db.Add(conversation);
        foreach (var member in members)
        {
            db.Add(new ConversationMember
            {
                ConversationId = conversation.Id,
                UserId = member.Id,
                Role = member == members[0] && type != ConversationType.Direct ? MemberRole.Owner : MemberRole.Member,
            });
        }
        await db.SaveChangesAsync();
        return conversation;
    }

    public static async Task AddMemberAsync(this RealtimeFactory realtime, Conversation conversation, User user)
    {
        await using var db = TestDatabases.CreateContext(realtime.DatabaseConnectionString);
        db.Add(new ConversationMember { ConversationId = conversation.Id, UserId = user.Id });
        await db.SaveChangesAsync();
    }

    public static async Task BlockAsync(this RealtimeFactory realtime, User blocker, User blocked)
    {
        await using var db = TestDatabases.CreateContext(realtime.DatabaseConnectionString);
        db.Add(new UserBlock { BlockerId = blocker.Id, BlockedId = blocked.Id });
        await db.SaveChangesAsync();
    }
}
