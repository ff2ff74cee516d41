using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Kinder.Api.Infrastructure;
using Kinder.Core.Data;
using Kinder.Core.Diagnostics;
using Kinder.Core.Identity;
using Kinder.Core.RateLimiting;
using Kinder.Messaging;
using Kinder.Core.Outbox;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Diagnostics;

public sealed record RecordProbeRequest(string Message);

public sealed record ProbeResponse(Guid Id, string Message, DateTimeOffset CreatedAt);

/// <summary>
/// Platform probes: a change committed with its outbox record, which Workers relay to Kafka and Realtime pushes
/// to the operator's own connections as <c>probe:recorded</c>. Lets an operator (and the end-to-end tests) see the
/// whole path work. Admins only, a few a minute each (<see cref="ProbeOptions"/>).
/// </summary>
public static class ProbesApi
{
    public static IServiceCollection AddProbes(this IServiceCollection services)
    {
        services.AddOptions<ProbeOptions>()
            .BindConfiguration(ProbeOptions.SectionName)
            .Validate(options => options.ProbeRateLimit.IsValid, "Diagnostics:ProbeRateLimit needs a positive PermitLimit and Window.")
            .ValidateOnStart();
        services.TryAddSingleton<RedisRateLimiter>();
        return services;
    }

    public static IEndpointRouteBuilder MapProbesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/diagnostics/probes").WithTags("Diagnostics")
            .RequireAuthorization(KinderPolicies.Admin);
        group.MapPost("/", RecordProbe)
            .WithName("RecordProbe")
            .WithSummary("Record a probe and publish ProbeRecorded through the outbox (admins; its result goes to the caller's connections).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireUserRateLimit<ProbeOptions>("diagnostics-probe", options => options.ProbeRateLimit);
        group.MapGet("/{id:guid}", GetProbe)
            .WithName("GetProbe")
            .WithSummary("Read a probe back (admins).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Created<ProbeResponse>> RecordProbe(RecordProbeRequest request, ClaimsPrincipal user,
        KinderDbContext db, ILogger<Probe> logger, CancellationToken cancellationToken)
    {
        var operatorId = user.GetUserId();
        var probe = new Probe { Message = request.Message };
        db.Probes.Add(probe);
        db.AddIntegrationEvent(Topics.SystemProbes, probe.Id.ToString(),
            new ProbeRecordedIntegrationEvent(probe.Id, probe.Message, probe.CreatedAt, operatorId));
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Recorded probe {ProbeId}", probe.Id);
        return TypedResults.Created($"/api/v1/diagnostics/probes/{probe.Id}", ToResponse(probe));
    }

    public static async Task<Results<Ok<ProbeResponse>, ProblemHttpResult>> GetProbe(Guid id, KinderDbContext db,
        CancellationToken cancellationToken)
    {
        var probe = await db.Probes.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        return probe is null ? Problems.NotFound() : TypedResults.Ok(ToResponse(probe));
    }

    private static ProbeResponse ToResponse(Probe probe) => new(probe.Id, probe.Message, probe.CreatedAt);
}
