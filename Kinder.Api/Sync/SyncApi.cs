using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Sync;

/// <summary>
/// <c>GET /sync</c>: everything that changed for the caller since a cursor, for clients coming back online. With the
/// hub's reconnect path it is one protocol (docs/api/README.md, Sync): on reconnect sync, then read
/// <c>afterSeq</c> for every conversation whose <c>lastSeq</c> is ahead; a gap in <c>seq</c> seen live does the same.
/// </summary>
public static class SyncApi
{
    public static IServiceCollection AddSync(this IServiceCollection services) => services.AddScoped<SyncChanges>();

    public static IEndpointRouteBuilder MapSyncApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sync", Sync)
            .RequireAuthorization()
            .WithTags("Sync")
            .WithName("Sync")
            .WithSummary("What changed for you since the cursor (none: a full snapshot): conversations' counters, your "
                + "events, notifications (stored or read since). hasMore: call again with cursor at once; else keep cursor.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    public static Task<Results<Ok<SyncResponse>, ValidationProblem>> Sync([AsParameters] SyncRequest request,
        ClaimsPrincipal principal, SyncChanges useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(request, principal, cancellationToken);
}
