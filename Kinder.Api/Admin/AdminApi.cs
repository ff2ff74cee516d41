using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Identity;
using Kinder.Core.Moderation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Admin;

/// <summary>
/// The operators' API, admins only (<c>403 FORBIDDEN</c> for everyone else; moderators reach only
/// <c>/admin/moderation</c>, ModerationApi): dashboard, analytics, users, sanctions, roles, password-reset mail,
/// broadcasts and the audit log. Every change writes its audit entry in the same commit.
/// </summary>
public static class AdminApi
{
    public static IServiceCollection AddAdmin(this IServiceCollection services)
    {
        services.AddScoped<GetDashboard>();
        services.AddScoped<GetAnalytics>();
        services.AddScoped<ListAdminUsers>();
        services.AddScoped<GetAdminUser>();
        services.AddScoped<SanctionUser>();
        services.AddScoped<SendPasswordReset>();
        services.AddScoped<Broadcasts>();
        services.AddScoped<ListAuditLogs>();
        return services;
    }

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin").WithTags("Admin").RequireAuthorization(KinderPolicies.Admin)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/dashboard", GetDashboard)
            .WithName("GetAdminDashboard")
            .WithSummary("Counts: users (total, new and active in 7 days), upcoming events, messages in 24 h, open reports, revenue in 30 days.");
        group.MapGet("/analytics", GetAnalytics)
            .WithName("GetAdminAnalytics")
            .WithSummary("Per UTC day or ISO week from..to (default: the last 30 days): signups, events created, RSVPs, messages, revenue.")
            .ProducesValidationProblem();
        group.MapGet("/users", ListUsers)
            .WithName("ListAdminUsers")
            .WithSummary("Users newest first, matching q (email prefix or name) and status (active|suspended|banned|deleted), cursor-paged.")
            .ProducesValidationProblem();
        group.MapGet("/users/{id:guid}", GetUser)
            .WithName("GetAdminUser")
            .WithSummary("A user with their events, reports by and against them, sanctions and sessions.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/users/{id:guid}/suspend", SuspendUser)
            .WithName("SuspendUser")
            .WithSummary("Suspend until a time: every token refused at once (401 ACCOUNT_SUSPENDED), hub connections closed, upcoming events hidden.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/users/{id:guid}/ban", BanUser)
            .WithName("BanUser")
            .WithSummary("Ban: a suspension without an end, lifted only by reinstatement.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/users/{id:guid}/reinstate", ReinstateUser)
            .WithName("ReinstateUser")
            .WithSummary("Lift a suspension or ban: sign-in works again and hidden events are shown again.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/users/{id:guid}/roles", ChangeRoles)
            .WithName("ChangeUserRoles")
            .WithSummary("Set the roles (user is always kept); counts at once. Removing the last admin is 409 LAST_ADMIN.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/users/{id:guid}/reset-password", SendPasswordReset)
            .WithName("SendPasswordReset")
            .WithSummary("Mail the user a password-reset link (the forgot-password email).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/broadcasts", CreateBroadcast)
            .WithName("CreateBroadcast")
            .WithSummary("Announce to every user or an audience (city, interests): stored, then delivered as broadcast notifications in batches.")
            .ProducesValidationProblem();
        group.MapGet("/broadcasts", ListBroadcasts)
            .WithName("ListBroadcasts")
            .WithSummary("Broadcasts, newest first, cursor-paged.")
            .ProducesValidationProblem();
        group.MapGet("/audit-logs", ListAuditLogs)
            .WithName("ListAuditLogs")
            .WithSummary("The audit log by actor, action and time (from inclusive, to exclusive), newest first, cursor-paged.")
            .ProducesValidationProblem();
        return app;
    }

    public static Task<Ok<DashboardResponse>> GetDashboard(GetDashboard useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(cancellationToken);

    public static Task<Ok<AnalyticsResponse>> GetAnalytics([AsParameters] AnalyticsQuery query, GetAnalytics useCase,
        CancellationToken cancellationToken) =>
        useCase.HandleAsync(query, cancellationToken);

    public static Task<Ok<AdminUserPage>> ListUsers([AsParameters] AdminUsersQuery query, ListAdminUsers useCase,
        CancellationToken cancellationToken) =>
        useCase.HandleAsync(query, cancellationToken);

    public static Task<Results<Ok<AdminUserDetail>, ProblemHttpResult>> GetUser(Guid id, GetAdminUser useCase,
        CancellationToken cancellationToken) =>
        useCase.HandleAsync(id, cancellationToken);

    public static Task<Results<Ok<AdminUserResponse>, ProblemHttpResult>> SuspendUser(Guid id, SuspendUserRequest request,
        ClaimsPrincipal principal, SanctionUser useCase, CancellationToken cancellationToken) =>
        useCase.SuspendAsync(id, request, principal, cancellationToken);

    public static Task<Results<Ok<AdminUserResponse>, ProblemHttpResult>> BanUser(Guid id, BanUserRequest request,
        ClaimsPrincipal principal, SanctionUser useCase, CancellationToken cancellationToken) =>
        useCase.BanAsync(id, request, principal, cancellationToken);

    public static Task<Results<Ok<AdminUserResponse>, ProblemHttpResult>> ReinstateUser(Guid id, ClaimsPrincipal principal,
        SanctionUser useCase, CancellationToken cancellationToken) =>
        useCase.ReinstateAsync(id, principal, cancellationToken);

    public static async Task<Results<NoContent, ProblemHttpResult>> ChangeRoles(Guid id, ChangeRolesRequest request,
        ClaimsPrincipal principal, RoleChanges roleChanges, CancellationToken cancellationToken) =>
        await roleChanges.SetAsync(id, request.Roles, principal.GetUserId(), AuditActions.RolesChanged, cancellationToken) switch
        {
            RoleChanges.Outcome.Changed => TypedResults.NoContent(),
            RoleChanges.Outcome.LastAdmin => Problems.Conflict(ErrorCodes.LastAdmin, "This is the last admin: make another admin first."),
            _ => Problems.NotFound(),
        };

    public static Task<Results<Accepted, ProblemHttpResult>> SendPasswordReset(Guid id, ClaimsPrincipal principal,
        SendPasswordReset useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(id, principal, cancellationToken);

    public static Task<Accepted<BroadcastResponse>> CreateBroadcast(BroadcastRequest request, ClaimsPrincipal principal,
        Broadcasts useCase, CancellationToken cancellationToken) =>
        useCase.CreateAsync(request, principal, cancellationToken);

    public static Task<Ok<BroadcastPage>> ListBroadcasts([AsParameters] BroadcastsQuery query, Broadcasts useCase,
        CancellationToken cancellationToken) =>
        useCase.ListAsync(query, cancellationToken);

    public static Task<Ok<AuditLogPage>> ListAuditLogs([AsParameters] AuditLogQuery query, ListAuditLogs useCase,
        CancellationToken cancellationToken) =>
        useCase.HandleAsync(query, cancellationToken);
}
