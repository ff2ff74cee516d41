using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Api.Profiles;
using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Core.Identity;
using Npgsql;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Conversations;

/// <summary><c>POST /conversations</c>: a direct conversation (the existing one is answered 200) or a group the caller owns.</summary>
public sealed class CreateConversation(ConversationServices services)
{
    public async Task<Results<Created<ConversationResponse>, Ok<ConversationResponse>, ValidationProblem, ProblemHttpResult>>
        HandleAsync(CreateConversationRequest request, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var userId = principal.GetUserId();
        // The request's validator (run by the filter) has checked the fields and that every member exists.
        var type = request.Type == "direct" ? ConversationType.Direct : ConversationType.Group;
        var memberIds = CreateConversationRequestValidator.Others(request, userId);
        var title = request.Title?.Trim();
        if (await db.FindCurrentUserAsync(principal, cancellationToken) is null)
        {
            return CurrentUser.Gone();
        }

        // Nobody is put in a group with someone they blocked or who blocked them, by either of them.
        if (type == ConversationType.Group
            && (await services.Access.BlockedEitherWayAmongAsync(userId, memberIds, cancellationToken)).Count > 0)
        {
            return ChatRefusals.GroupBlocked();
        }

        var now = services.Time.GetUtcNow();
        Conversation conversation;
        if (type == ConversationType.Direct)
        {
            var otherId = memberIds[0];
            if (await services.Access.IsBlockedEitherWayAsync(userId, otherId, cancellationToken))
            {
                return Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.UserBlocked,
                    "One of you blocked the other.");
            }
            var key = DirectKeys.For(userId, otherId);
            var existing = await db.Conversations.Where(c => c.DirectKey == key).Select(c => (Guid?)c.Id)
                .FirstOrDefaultAsync(cancellationToken);
            if (existing is { } existingId)
            {
                return TypedResults.Ok(await services.ReadOneAsync(existingId, userId, cancellationToken));
            }
            conversation = new Conversation { Type = ConversationType.Direct, DirectKey = key, LastActivityAt = now, CreatedAt = now };
            db.Conversations.Add(conversation);
            db.ConversationMembers.Add(new ConversationMember { ConversationId = conversation.Id, UserId = userId, JoinedAt = now });
            db.ConversationMembers.Add(new ConversationMember { ConversationId = conversation.Id, UserId = otherId, JoinedAt = now });
            // A new conversation's members are the ones just added; the signal commits with them (or goes with them).
            services.Signals.MembersChanged(conversation.Id, [userId, otherId], [userId, otherId]);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (exception.InnerException is PostgresException
                                                       { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // The other one asked at the same moment: theirs is the conversation.
                db.ChangeTracker.Clear();
                var winner = await db.Conversations.Where(c => c.DirectKey == key).Select(c => c.Id)
                    .SingleAsync(cancellationToken);
                return TypedResults.Ok(await services.ReadOneAsync(winner, userId, cancellationToken));
            }
        }
        else
        {
            conversation = new Conversation
            {
                Type = ConversationType.Group, Title = title, OwnerId = userId, LastActivityAt = now, CreatedAt = now,
            };
            db.Conversations.Add(conversation);
            db.ConversationMembers.Add(new ConversationMember
            {
                ConversationId = conversation.Id, UserId = userId, Role = MemberRole.Owner, JoinedAt = now,
            });
            foreach (var memberId in memberIds)
            {
                db.ConversationMembers.Add(new ConversationMember { ConversationId = conversation.Id, UserId = memberId, JoinedAt = now });
            }
            services.Signals.MembersChanged(conversation.Id, [userId, .. memberIds], [userId, .. memberIds]);
            await db.SaveChangesAsync(cancellationToken);
        }

        var response = await services.ReadOneAsync(conversation.Id, userId, cancellationToken);
        return TypedResults.Created($"/api/v1/conversations/{conversation.Id}", response);
    }
}
