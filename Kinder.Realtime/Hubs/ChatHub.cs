using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Core.Identity;
using Kinder.Realtime.Chat;
using Kinder.Realtime.Presence;
using Kinder.Realtime.Typing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;

namespace Kinder.Realtime.Hubs;

/// <summary>What <c>SendMessage</c> answers once the message is on <c>messages.incoming</c> (REST's <c>202</c> body).</summary>
public sealed record SendMessageResponse(Guid Id, string ClientMessageId, Guid ConversationId);

/// <summary>
/// The one SignalR hub clients connect to (docs/api/README.md, Realtime). Every instance writes Kafka's delivery records to
/// the connections it holds; what the hub sends (presence, typing) reaches the other instances through HubBackplane.
/// Connections authenticate with our access token (<c>?access_token=</c>); a revoked token is refused.
/// Failures are <see cref="HubException"/>s whose message starts with the error code (<c>NOT_FOUND: …</c>).
/// </summary>
/// <remarks>
/// A hub is made for every call: what only one method needs (the send's submitter, the read cursors with their
/// DbContext) is that method's parameter, so a typing signal or a send does not lease what it does not use.
/// </remarks>
[Authorize]
public sealed class ChatHub(
    ChatAudience audience,
    TypingIndicators typing,
    PresenceTracker presence,
    ILogger<ChatHub> logger) : Hub
{
    public const string Path = "/hubs/chat";

    private Guid UserId => Context.User!.GetUserId();

    public override async Task OnConnectedAsync()
    {
        logger.LogDebug("Connection {ConnectionId} opened", Context.ConnectionId);
        try
        {
            // Not cancelled by the connection closing: SignalR skips OnDisconnectedAsync when this throws, so it
            // must finish (or undo itself) or the connection would stay registered, refreshed by every heartbeat.
            await presence.ConnectedAsync(UserId, Context.ConnectionId, CancellationToken.None);
        }
        catch
        {
            await presence.DisconnectedAsync(UserId, Context.ConnectionId, CancellationToken.None);
            throw;
        }
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        logger.LogDebug("Connection {ConnectionId} closed", Context.ConnectionId);
        await presence.DisconnectedAsync(UserId, Context.ConnectionId, CancellationToken.None);
    }

    /// <summary>Sends a text message; answers once it is accepted (it arrives as <c>message:new</c> with its seq).</summary>
    public async Task<SendMessageResponse> SendMessage(Guid conversationId, string? clientMessageId, string? body,
        [FromServices] MessageSubmitter submitter)
    {
        // The same gate, rules and access check as REST's POST …/messages (MessageSubmitter).
        var result = await submitter.SubmitAsync(
            new SendMessageCommand(conversationId, Context.User!, clientMessageId, "text", body, null, null),
            Context.ConnectionAborted);
        switch (result)
        {
            case SendMessageResult.Accepted accepted:
                if (ForgetTypingHere(conversationId))
                    await typing.StopAsync(conversationId, UserId, Context.ConnectionAborted);
                return new SendMessageResponse(accepted.MessageId, clientMessageId!, conversationId);
            case SendMessageResult.Rejected rejected:
                throw Refused(rejected.Access);
            case SendMessageResult.Unverified:
                throw Error(ErrorCodes.EmailNotVerified, "Verify your email address first.");
            case SendMessageResult.RateLimited limited:
                throw Error(ErrorCodes.RateLimited,
                    $"Too many messages; try again in {limited.Decision.RetryAfterSeconds} seconds.");
            case SendMessageResult.Invalid invalid:
                throw Error(ErrorCodes.ValidationFailed,
                    string.Join(" ", invalid.Errors.Select(error => $"{error.Key}: {string.Join(" ", error.Value)}")));
            default:
                throw new InvalidOperationException($"Unexpected send result {result}.");
        }
    }

    /// <summary>Shows the caller typing to the conversation's other members until <c>StopTyping</c> or 5 s without a refresh.</summary>
    public async Task StartTyping(Guid conversationId)
    {
        await EnsureMemberAsync(conversationId);
        MarkTypingHere(conversationId);
        await typing.StartAsync(conversationId, UserId, Context.ConnectionAborted);
    }

    public async Task StopTyping(Guid conversationId)
    {
        await EnsureMemberAsync(conversationId);
        ForgetTypingHere(conversationId);
        await typing.StopAsync(conversationId, UserId, Context.ConnectionAborted);
    }

    // Where this connection started typing and has not stopped: a send stops the indicator only there, so the common
    // send (no typing first) costs no Redis round trip. A connection's invocations run one at a time.
    private void MarkTypingHere(Guid conversationId)
    {
        if (Context.Items.TryGetValue(TypingKey, out var found) && found is HashSet<Guid> conversations)
            conversations.Add(conversationId);
        else
            Context.Items[TypingKey] = new HashSet<Guid> { conversationId };
    }

    private bool ForgetTypingHere(Guid conversationId) =>
        Context.Items.TryGetValue(TypingKey, out var found) && found is HashSet<Guid> conversations
        && conversations.Remove(conversationId);

    private static readonly object TypingKey = new();

    /// <summary>Moves the caller's read cursor forward to <paramref name="seq"/> (<c>message:read</c> to the members).</summary>
    public async Task MarkRead(Guid conversationId, long seq, [FromServices] ReadCursors readCursors)
    {
        if (seq < 0)
            throw Error(ErrorCodes.ValidationFailed, "seq: Must not be negative.");
        if (!await readCursors.MarkReadAsync(conversationId, UserId, seq, Context.ConnectionAborted))
            throw Refused(WriteAccess.NotFound);
    }

    private async Task EnsureMemberAsync(Guid conversationId)
    {
        if (!await audience.IsMemberAsync(conversationId, UserId, Context.ConnectionAborted))
            throw Refused(WriteAccess.NotFound);
    }

    private static HubException Refused(WriteAccess access) => access switch
    {
        WriteAccess.Blocked => Error(ErrorCodes.UserBlocked, "One of you blocked the other."),
        WriteAccess.ReadOnly => Error(ErrorCodes.ConversationReadOnly, "This conversation is read-only."),
        _ => Error(ErrorCodes.NotFound, "No such conversation."),
    };

    private static HubException Error(string code, string detail) => new($"{code}: {detail}");
}
