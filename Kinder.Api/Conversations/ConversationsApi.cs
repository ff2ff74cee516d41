using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Conversations;

/// <summary>
/// Conversations: creating direct and group conversations, the caller's list, one conversation, archiving,
/// and a group's members. Anything about a conversation the caller is not an active member of is 404. A route table:
/// each use case is a class of its own (<see cref="CreateConversation"/>, <see cref="AddGroupMembers"/>, …).
/// </summary>
public static class ConversationsApi
{
    public const int DefaultPageSize = Paging.DefaultLimit;
    public const int MaxPageSize = Paging.MaxLimit;

    public static IEndpointRouteBuilder MapConversationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/conversations").WithTags("Conversations").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("", Create)
            .RequireAuthorization(KinderPolicies.VerifiedUser)
            .WithName("CreateConversation")
            .WithSummary("Start a direct conversation (exactly one other user; the existing one is answered 200) or a "
                + "group (title required; the creator owns it). 403 USER_BLOCKED when either of a pair blocked the other.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("", List)
            .WithName("GetConversations")
            .WithSummary("Your conversations, most recent activity first, with lastMessage and unreadCount; archived=true "
                + "lists the archived ones instead. The cursor pins the first page's time, so paging returns each once.")
            .ProducesValidationProblem();
        group.MapGet("/{id:guid}", Get)
            .WithName("GetConversation")
            .WithSummary("One conversation with its members, your unread count and read cursor.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/archive", Archive)
            .WithName("ArchiveConversation")
            .WithSummary("Put the conversation away (for you only) until you unarchive it or a new message arrives. 204, idempotent.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/unarchive", Unarchive)
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

    public static Task<Results<Created<ConversationResponse>, Ok<ConversationResponse>, ValidationProblem, ProblemHttpResult>>
        Create(CreateConversationRequest request, ClaimsPrincipal principal, CreateConversation useCase,
            CancellationToken cancellationToken) =>
        useCase.HandleAsync(request, principal, cancellationToken);

    public static Task<Results<Ok<ConversationPage>, ValidationProblem>> List(
        [AsParameters] ConversationListQuery query, ClaimsPrincipal principal, ListConversations useCase,
        CancellationToken cancellationToken) =>
        useCase.HandleAsync(query, principal, cancellationToken);

    public static async Task<Results<Ok<ConversationResponse>, ProblemHttpResult>> Get(Guid id,
        ClaimsPrincipal principal, ConversationServices services, CancellationToken cancellationToken)
    {
        var response = await services.ReadOneAsync(id, principal.GetUserId(), cancellationToken);
        return response is null ? Problems.NotFound() : TypedResults.Ok(response);
    }

    public static Task<Results<NoContent, ProblemHttpResult>> Archive(Guid id, ClaimsPrincipal principal,
        ArchiveConversation useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(id, principal.GetUserId(), archive: true, cancellationToken);

    public static Task<Results<NoContent, ProblemHttpResult>> Unarchive(Guid id, ClaimsPrincipal principal,
        ArchiveConversation useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(id, principal.GetUserId(), archive: false, cancellationToken);

    public static Task<Results<Ok<ConversationResponse>, ValidationProblem, ProblemHttpResult>> AddMembers(Guid id,
        AddMembersRequest request, ClaimsPrincipal principal, AddGroupMembers useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(id, request, principal, cancellationToken);

    public static Task<Results<NoContent, ProblemHttpResult>> RemoveMember(Guid id, Guid userId,
        ClaimsPrincipal principal, RemoveGroupMember useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(id, userId, principal, cancellationToken);
}
