using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Identity;
using Kinder.Core.Moderation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Moderation;

/// <summary>
/// Reports (any signed-in user) and the moderation queue (moderators and admins; <c>403 FORBIDDEN</c> for others).
/// Reporters are never shown to the reported: nothing outside <c>/admin/moderation</c> reads reports but the
/// reporter's own answer.
/// </summary>
public static class ModerationApi
{
    public static IServiceCollection AddModeration(this IServiceCollection services)
    {
        services.AddModerationCore();
        services.AddScoped<FileReport>();
        services.AddScoped<ListReportQueue>();
        services.AddScoped<ResolveReport>();
        services.AddScoped<ReadReportedMessage>();
        services.AddScoped<ContentRemoval>();
        services.AddScoped<UserSanctions>();
        return services;
    }

    public static IEndpointRouteBuilder MapModerationApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/reports").WithTags("Moderation").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .MapPost("", FileReport)
            .WithName("FileReport")
            .WithSummary("Report a user, an event or a message: 201, or 200 with your open report on the same target. The reported person never learns who reported.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireUserRateLimit<ModerationOptions>("reports", options => options.Reports);

        var queue = app.MapGroup("/admin/moderation").WithTags("Moderation")
            .RequireAuthorization(KinderPolicies.Moderator)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        queue.MapGet("/reports", GetReportQueue)
            .WithName("GetReportQueue")
            .WithSummary("Reports grouped by target, the most reported first, then the longest waiting; status=open (default) or resolved.")
            .ProducesValidationProblem();
        queue.MapPost("/reports/{id:guid}/resolve", ResolveReport)
            .WithName("ResolveReport")
            .WithSummary("Resolve a report, and every open report on the same target, with an action: dismiss, remove_content, warn, suspend (days), ban.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        queue.MapGet("/reports/{id:guid}/context", GetReportedMessageContext)
            .WithName("GetReportedMessageContext")
            .WithSummary("A reported message with the few messages around it, even in a private conversation (audited); never more of it.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static Task<Results<Created<ReportResponse>, Ok<ReportResponse>, ValidationProblem, ProblemHttpResult>> FileReport(
        ReportRequest request, ClaimsPrincipal principal, FileReport useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(request, principal, cancellationToken);

    public static Task<Ok<ReportQueuePage>> GetReportQueue([AsParameters] ReportQueueQuery query, ListReportQueue useCase,
        CancellationToken cancellationToken) =>
        useCase.HandleAsync(query, cancellationToken);

    public static Task<Results<Ok<ResolvedReportResponse>, ProblemHttpResult>> ResolveReport(Guid id,
        ResolveReportRequest request, ClaimsPrincipal principal, ResolveReport useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(id, request, principal, cancellationToken);

    public static Task<Results<Ok<ReportedMessageContext>, ProblemHttpResult>> GetReportedMessageContext(Guid id,
        ClaimsPrincipal principal, ReadReportedMessage useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(id, principal, cancellationToken);
}
