using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Chat;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Conversations;

/// <summary>The chat use cases' refusals, each with its stable code.</summary>
internal static class ChatRefusals
{
    /// <summary>404 to non-members; 403 unless it is a group (and, with <paramref name="ownerOnly"/>, the caller owns it).</summary>
    public static async Task<ProblemHttpResult?> UnlessGroupAsync(ConversationServices services, Guid id,
        Guid userId, bool ownerOnly, CancellationToken cancellationToken)
    {
        var conversation = await services.Access.FindForMemberAsync(id, userId, cancellationToken);
        if (conversation is null)
        {
            return Problems.NotFound();
        }
        if (conversation.Type != ConversationType.Group)
        {
            return Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden,
                conversation.Type == ConversationType.Event
                    ? "An event discussion's members follow who is going."
                    : "A direct conversation is between its two people.");
        }
        return ownerOnly && conversation.OwnerId != userId
            ? Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.NotConversationOwner,
                "Only the group's owner adds and removes members.")
            : null;
    }

    public static ProblemHttpResult GroupBlocked() =>
        Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.UserBlocked,
            "You cannot add someone you blocked or who blocked you.");

    /// <summary>Only the sender changes a message, and only within the edit window.</summary>
    public static ProblemHttpResult? UnlessChangeable(Message message, Guid userId, DateTimeOffset now)
    {
        if (message.SenderId != userId)
        {
            return Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.NotMessageAuthor,
                "Only the sender can change a message.");
        }
        return now - message.CreatedAt > Message.EditWindow
            ? Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.EditWindowClosed,
                $"Messages can be changed for {Message.EditWindow.TotalMinutes:0} minutes after sending.")
            : null;
    }

    /// <summary>Null when writing is allowed; else its refusal (404 to non-members).</summary>
    public static ProblemHttpResult? Of(WriteAccess access) => access switch
    {
        WriteAccess.Allowed => null,
        WriteAccess.Blocked => Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.UserBlocked,
            "One of you blocked the other."),
        WriteAccess.ReadOnly => Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.ConversationReadOnly,
            "This conversation is read-only now."),
        _ => Problems.NotFound(),
    };
}
