using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Friends;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Friends;

/// <summary>
/// Friends: finding people by name, friend requests, the friends list and unfriending. A block either way ends a
/// friendship and refuses requests (<see cref="Blocks.BlocksApi"/>). Requests and accepts go out on
/// <c>Topics.Social</c> for the notifications to come.
/// </summary>
public static class FriendsApi
{
    public static IServiceCollection AddFriends(this IServiceCollection services)
    {
        services.AddOptions<FriendOptions>()
            .BindConfiguration(FriendOptions.SectionName)
            .Validate(options => options.IsValid(),
                "Friends: rate limits are positive, the cool-down zero or more.")
            .ValidateOnStart();
        services.AddScoped<SendFriendRequest>();
        services.AddScoped<FriendRequestAnswers>();
        services.AddScoped<ListFriends>();
        services.AddScoped<SearchUsers>();
        return services;
    }

    public static IEndpointRouteBuilder MapFriendsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/users/search", SearchUsers)
            .RequireAuthorization()
            .WithTags("Friends")
            .WithName("SearchUsers")
            .WithSummary("People by display name: prefix matches first, then close spellings; hides blocked and hidden profiles.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireUserRateLimit("user-search", limits => limits.Search);

        var group = app.MapGroup("/friends").WithTags("Friends").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/requests", SendRequest)
            .WithName("SendFriendRequest")
            .WithSummary("Ask someone to be friends (201); if they already asked you, both are accepted (200). "
                + "409 FRIEND_REQUEST_COOLDOWN for a while after a decline; 404 across a block.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireUserRateLimit<FriendOptions>("friend-requests", friends => friends.RequestRateLimit);
        group.MapGet("/requests", GetRequests)
            .WithName("GetFriendRequests")
            .WithSummary("Your pending requests, direction=incoming (default) or outgoing, newest first, cursor-paged.")
            .ProducesValidationProblem();
        group.MapPost("/requests/{id:guid}/accept", AcceptRequest)
            .WithName("AcceptFriendRequest")
            .WithSummary("Accept a request sent to you: you are friends.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/requests/{id:guid}/decline", DeclineRequest)
            .WithName("DeclineFriendRequest")
            .WithSummary("Decline a request sent to you; its sender may ask again only after the cool-down.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/requests/{id:guid}", CancelRequest)
            .WithName("CancelFriendRequest")
            .WithSummary("Withdraw a request you sent.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("", GetFriends)
            .WithName("GetFriends")
            .WithSummary("Your friends, newest friendship first, cursor-paged.")
            .ProducesValidationProblem();
        group.MapDelete("/{userId:guid}", Unfriend)
            .WithName("Unfriend")
            .WithSummary("End a friendship, both ways (idempotent).");
        return app;
    }

    public static async Task<Ok<PersonPage>> SearchUsers([AsParameters] UserSearchQuery query, ClaimsPrincipal principal,
        SearchUsers useCase, CancellationToken cancellationToken) =>
        TypedResults.Ok(await useCase.HandleAsync(query, principal, cancellationToken));

    public static Task<Results<Created<FriendRequestResponse>, Ok<FriendRequestResponse>, ValidationProblem, ProblemHttpResult>>
        SendRequest(SendFriendRequestBody body, ClaimsPrincipal principal, SendFriendRequest useCase,
            CancellationToken cancellationToken) =>
        useCase.HandleAsync(body, principal, cancellationToken);

    public static async Task<Ok<FriendRequestPage>> GetRequests([AsParameters] FriendRequestListQuery query,
        ClaimsPrincipal principal, ListFriends useCase, CancellationToken cancellationToken) =>
        TypedResults.Ok(await useCase.RequestsAsync(query, principal, cancellationToken));

    public static Task<Results<Ok<FriendRequestResponse>, ProblemHttpResult>> AcceptRequest(Guid id,
        ClaimsPrincipal principal, FriendRequestAnswers useCase, CancellationToken cancellationToken) =>
        useCase.AcceptAsync(id, principal, cancellationToken);

    public static Task<Results<NoContent, ProblemHttpResult>> DeclineRequest(Guid id, ClaimsPrincipal principal,
        FriendRequestAnswers useCase, CancellationToken cancellationToken) =>
        useCase.DeclineAsync(id, principal, cancellationToken);

    public static Task<Results<NoContent, ProblemHttpResult>> CancelRequest(Guid id, ClaimsPrincipal principal,
        FriendRequestAnswers useCase, CancellationToken cancellationToken) =>
        useCase.CancelAsync(id, principal, cancellationToken);

    public static async Task<Ok<FriendPage>> GetFriends([AsParameters] FriendListQuery query, ClaimsPrincipal principal,
        ListFriends useCase, CancellationToken cancellationToken) =>
        TypedResults.Ok(await useCase.FriendsAsync(query, principal, cancellationToken));

    public static async Task<NoContent> Unfriend(Guid userId, ClaimsPrincipal principal, ListFriends useCase,
        TimeProvider time, CancellationToken cancellationToken)
    {
        await useCase.UnfriendAsync(userId, principal, time, cancellationToken);
        return TypedResults.NoContent();
    }
}
