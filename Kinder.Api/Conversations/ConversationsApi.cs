using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Api.Profiles;
using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Profiles;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kinder.Api.Conversations;

/// <summary>
/// API.md, Conversations: creating direct and group conversations, the caller's list, one conversation, archiving,
/// and a group's members. Anything about a conversation the caller is not an active member of is 404.
/// </summary>
public static class ConversationsApi
{
    public const int DefaultPageSize = Paging.DefaultLimit;
    public const int MaxPageSize = Paging.MaxLimit;

    public static IEndpointRouteBuilder MapConversationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/conversations").WithTags("Conversations").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("", CreateConversation)
            .RequireAuthorization(KinderPolicies.VerifiedUser)
            .WithName("CreateConversation")
            .WithSummary("Start a direct conversation (exactly one other user; the existing one is answered 200) or a "
                + "group (title required; the creator owns it). 403 USER_BLOCKED when either of a pair blocked the other.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("", GetConversations)
            .WithName("GetConversations")
            .WithSummary("Your conversations, most recent activity first, with lastMessage and unreadCount; archived=true "
                + "lists the archived ones instead. The cursor pins the first page's time, so paging returns each once.")
            .ProducesValidationProblem();
        group.MapGet("/{id:guid}", GetConversation)
            .WithName("GetConversation")
            .WithSummary("One conversation with its members, your unread count and read cursor.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/archive", ArchiveConversation)
            .WithName("ArchiveConversation")
            .WithSummary("Put the conversation away (for you only) until you unarchive it or a new message arrives. 204, idempotent.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/unarchive", UnarchiveConversation)
            .WithName("UnarchiveConversation")
            .WithSummary("Bring an archived conversation back to your list. 204, idempotent.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/members", AddMembers)
            .RequireAuthorization(KinderPolicies.VerifiedUser)
            .WithName("AddConversationMembers")
            .WithSummary("Add people to a group (owner only); members already in it are left as they are.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id:guid}/members/{userId:guid}", RemoveMember)
            .WithName("RemoveConversationMember")
            .WithSummary("Remove someone from a group (owner only), or leave it by naming yourself. An owner who leaves "
                + "passes ownership to the longest-standing member.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<ConversationResponse>, Ok<ConversationResponse>, ValidationProblem, ProblemHttpResult>>
        CreateConversation(CreateConversationRequest request, ClaimsPrincipal principal, ConversationServices services,
            CancellationToken cancellationToken)
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
            return GroupBlockRefusal();
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
                return TypedResults.Ok(await ReadOneAsync(services, existingId, userId, cancellationToken));
            }
            conversation = new Conversation { Type = ConversationType.Direct, DirectKey = key, LastActivityAt = now, CreatedAt = now };
            db.Conversations.Add(conversation);
            db.ConversationMembers.Add(new ConversationMember { ConversationId = conversation.Id, UserId = userId, JoinedAt = now });
            db.ConversationMembers.Add(new ConversationMember { ConversationId = conversation.Id, UserId = otherId, JoinedAt = now });
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
                return TypedResults.Ok(await ReadOneAsync(services, winner, userId, cancellationToken));
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
            await db.SaveChangesAsync(cancellationToken);
        }

        await services.Signals.MembersChangedAsync(conversation.Id, [userId, .. memberIds], cancellationToken);
        var response = await ReadOneAsync(services, conversation.Id, userId, cancellationToken);
        return TypedResults.Created($"/api/v1/conversations/{conversation.Id}", response);
    }

    public static async Task<Results<Ok<ConversationPage>, ValidationProblem>> GetConversations(int? limit, string? cursor,
        bool? archived, ClaimsPrincipal principal, ConversationServices services, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var pageSize = errors.PageSize(limit);
        if (!ConversationCursor.TryDecode(cursor, out var after))
        {
            errors.UnknownCursor();
        }
        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        var db = services.Db;
        var userId = principal.GetUserId();
        var now = services.Time.GetUtcNow();
        // The first page pins the latest of now and every activity the caller can see, so each conversation's key on
        // the first page is its key on every later one (clocks of other hosts may run a little ahead of ours).
        var asOf = after?.AsOf ?? now;
        if (after is null)
        {
            var latest = await db.ConversationMembers
                .Where(m => m.UserId == userId && m.LeftAt == null)
                .Join(db.Conversations, m => m.ConversationId, c => c.Id, (_, c) => (DateTimeOffset?)c.LastActivityAt)
                .MaxAsync(cancellationToken);
            asOf = latest > now ? latest.Value : now;
        }
        var wantArchived = archived == true;
        // Each conversation's last activity as of the pinned time: its current one if nothing happened since, else the
        // time of its last message at that time (one index probe backwards from its newest seq), else its creation.
        var keyed = db.ConversationMembers
            .Where(m => m.UserId == userId && m.LeftAt == null)
            .Join(db.Conversations.Where(c => c.CreatedAt <= asOf), m => m.ConversationId, c => c.Id,
                (m, c) => new { Member = m, Conversation = c })
            .Where(row => wantArchived
                ? row.Member.ArchivedAt != null && row.Conversation.LastActivityAt <= row.Member.ArchivedAt
                : row.Member.ArchivedAt == null || row.Conversation.LastActivityAt > row.Member.ArchivedAt)
            .Select(row => new
            {
                row.Conversation.Id,
                Activity = row.Conversation.LastActivityAt <= asOf
                    ? row.Conversation.LastActivityAt
                    : db.Messages
                        .Where(message => message.ConversationId == row.Conversation.Id && message.CreatedAt <= asOf)
                        .OrderByDescending(message => message.Seq)
                        .Select(message => (DateTimeOffset?)message.CreatedAt)
                        .FirstOrDefault() ?? row.Conversation.CreatedAt,
            });
        if (after is not null)
        {
            keyed = keyed.Where(row => row.Activity < after.Activity
                || (row.Activity == after.Activity && row.Id.CompareTo(after.Id) < 0));
        }
        var rows = await keyed
            .OrderByDescending(row => row.Activity).ThenByDescending(row => row.Id)
            .Take(pageSize + 1)
            .ToListAsync(cancellationToken);
        var page = rows.Take(pageSize).ToList();
        var items = await db.ReadManyAsync(services.Storage, page.Select(row => row.Id).ToList(), userId,
            eventMembers: false, now, cancellationToken);
        var next = rows.Count > pageSize ? new ConversationCursor(asOf, page[^1].Activity, page[^1].Id).Encode() : null;
        return TypedResults.Ok(new ConversationPage(items, next));
    }

    public static async Task<Results<Ok<ConversationResponse>, ProblemHttpResult>> GetConversation(Guid id,
        ClaimsPrincipal principal, ConversationServices services, CancellationToken cancellationToken)
    {
        var response = await ReadOneAsync(services, id, principal.GetUserId(), cancellationToken);
        return response is null ? Problems.NotFound() : TypedResults.Ok(response);
    }

    public static Task<Results<NoContent, ProblemHttpResult>> ArchiveConversation(Guid id, ClaimsPrincipal principal,
        ConversationServices services, CancellationToken cancellationToken) =>
        SetArchivedAsync(services, id, principal.GetUserId(), services.Time.GetUtcNow(), cancellationToken);

    public static Task<Results<NoContent, ProblemHttpResult>> UnarchiveConversation(Guid id, ClaimsPrincipal principal,
        ConversationServices services, CancellationToken cancellationToken) =>
        SetArchivedAsync(services, id, principal.GetUserId(), null, cancellationToken);

    public static async Task<Results<Ok<ConversationResponse>, ValidationProblem, ProblemHttpResult>> AddMembers(Guid id,
        AddMembersRequest request, ClaimsPrincipal principal, ConversationServices services,
        CancellationToken cancellationToken)
    {
        var db = services.Db;
        var userId = principal.GetUserId();
        var userIds = AddMembersRequestValidator.Others(request.UserIds, userId);
        var refusal = await RefuseUnlessGroupAsync(services, id, userId, ownerOnly: true, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        var unknown = await db.UnknownUsersAsync(userIds, cancellationToken);
        if (unknown.Count > 0)
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["userIds"] = [$"No such user: {string.Join(", ", unknown)}."],
            });
        }
        if ((await services.Access.BlockedEitherWayAmongAsync(userId, userIds, cancellationToken)).Count > 0)
        {
            return GroupBlockRefusal();
        }

        var now = services.Time.GetUtcNow();
        var added = await db.InTransactionAsync(async token =>
        {
            var conversation = await db.LockConversationAsync(id, token);
            var members = await db.ConversationMembers.Where(m => m.ConversationId == id).ToListAsync(token);
            var joining = userIds.Where(memberId => !members.Any(m => m.UserId == memberId && m.IsActive)).ToList();
            if (members.Count(m => m.IsActive) + joining.Count > Conversation.MaxGroupMembers)
            {
                return null;
            }
            foreach (var memberId in joining)
            {
                var member = members.FirstOrDefault(m => m.UserId == memberId);
                if (member is null)
                {
                    member = new ConversationMember { ConversationId = id, UserId = memberId };
                    db.ConversationMembers.Add(member);
                }
                // Newcomers start at the present: history is there to read, but none of it counts as unread.
                (member.LeftAt, member.Role, member.JoinedAt, member.ArchivedAt) = (null, MemberRole.Member, now, null);
                (member.LastReadSeq, member.UnreadCount) = (conversation.LastSeq, 0);
            }
            await db.SaveChangesAsync(token);
            return joining;
        }, cancellationToken);
        if (added is null)
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["userIds"] = [$"A group has at most {Conversation.MaxGroupMembers} members."],
            });
        }

        if (added.Count > 0)
        {
            await services.Signals.MembersChangedAsync(id, added, cancellationToken);
            var names = await DisplayNamesAsync(db, [userId, .. added], cancellationToken);
            await services.Producer.SubmitAsync(SystemMessages.Create(id,
                SystemMessages.MembershipId("added", added[0], now), $"{names[userId]} added {string.Join(", ", added.Select(a => names[a]))}.",
                null, now), cancellationToken);
        }
        return TypedResults.Ok((await ReadOneAsync(services, id, userId, cancellationToken))!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveMember(Guid id, Guid userId,
        ClaimsPrincipal principal, ConversationServices services, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var callerId = principal.GetUserId();
        var leaving = userId == callerId;
        var refusal = await RefuseUnlessGroupAsync(services, id, callerId, ownerOnly: !leaving, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var now = services.Time.GetUtcNow();
        var removed = await db.InTransactionAsync(async token =>
        {
            var conversation = await db.LockConversationAsync(id, token);
            var member = await db.ConversationMembers
                .FirstOrDefaultAsync(m => m.ConversationId == id && m.UserId == userId && m.LeftAt == null, token);
            if (member is null)
            {
                return false;
            }
            (member.LeftAt, member.UnreadCount, member.Role) = (now, 0, MemberRole.Member);
            if (conversation.OwnerId == userId)
            {
                var heir = await db.ConversationMembers
                    .Where(m => m.ConversationId == id && m.LeftAt == null && m.UserId != userId)
                    .OrderBy(m => m.JoinedAt).ThenBy(m => m.UserId)
                    .FirstOrDefaultAsync(token);
                conversation.OwnerId = heir?.UserId;
                if (heir is not null)
                {
                    heir.Role = MemberRole.Owner;
                }
            }
            await db.SaveChangesAsync(token);
            return true;
        }, cancellationToken);
        if (!removed)
        {
            return Problems.NotFound("No such member.");
        }

        await services.Signals.MembersChangedAsync(id, [userId], cancellationToken);
        var names = await DisplayNamesAsync(db, [callerId, userId], cancellationToken);
        var body = leaving ? $"{names[userId]} left." : $"{names[callerId]} removed {names[userId]}.";
        await services.Producer.SubmitAsync(SystemMessages.Create(id, SystemMessages.MembershipId("left", userId, now),
            body, null, now), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetArchivedAsync(ConversationServices services,
        Guid id, Guid userId, DateTimeOffset? archivedAt, CancellationToken cancellationToken)
    {
        var changed = await services.Db.ConversationMembers
            .Where(m => m.ConversationId == id && m.UserId == userId && m.LeftAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.ArchivedAt, archivedAt), cancellationToken);
        return changed == 0 ? Problems.NotFound() : TypedResults.NoContent();
    }

    /// <summary>404 to non-members; 403 unless it is a group (and, with <paramref name="ownerOnly"/>, the caller owns it).</summary>
    private static async Task<ProblemHttpResult?> RefuseUnlessGroupAsync(ConversationServices services, Guid id,
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

    private static ProblemHttpResult GroupBlockRefusal() =>
        Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.UserBlocked,
            "You cannot add someone you blocked or who blocked you.");

    private static Task<Dictionary<Guid, string>> DisplayNamesAsync(KinderDbContext db, IReadOnlyList<Guid> ids,
        CancellationToken cancellationToken) =>
        db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);

    private static async Task<ConversationResponse?> ReadOneAsync(ConversationServices services, Guid id, Guid userId,
        CancellationToken cancellationToken) =>
        (await services.Db.ReadManyAsync(services.Storage, [id], userId, eventMembers: true, services.Time.GetUtcNow(),
            cancellationToken)).FirstOrDefault();
}
