using Kinder.Api.Infrastructure;
using Kinder.Core.Data;
using Kinder.Core.Diagnostics;
using Kinder.Messaging;
using Kinder.Core.Outbox;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Diagnostics;

public sealed record RecordProbeRequest(string Message);

public sealed record ProbeResponse(Guid Id, string Message, DateTimeOffset CreatedAt);

/// <summary>
/// Platform probes: a change committed with its outbox record, which Workers relay to Kafka and Realtime pushes
/// to connected clients as <c>probe:recorded</c>. Lets an operator (and the end-to-end tests) see the whole path work.
/// </summary>
public static class ProbesApi
{
    public static IEndpointRouteBuilder MapProbesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/diagnostics/probes").WithTags("Diagnostics");
        group.MapPost("/", RecordProbe)
            .WithName("RecordProbe")
            .WithSummary("Record a probe and publish ProbeRecorded through the outbox.");
        group.MapGet("/{id:guid}", GetProbe)
            .WithName("GetProbe")
            .WithSummary("Read a probe back.");
        return app;
    }

    public static async Task<Created<ProbeResponse>> RecordProbe(RecordProbeRequest request, KinderDbContext db,
        ILogger<Probe> logger, CancellationToken cancellationToken)
    {
        var probe = new Probe { Message = request.Message };
        db.Probes.Add(probe);
        db.AddIntegrationEvent(Topics.SystemProbes, probe.Id.ToString(),
            new ProbeRecordedIntegrationEvent(probe.Id, probe.Message, probe.CreatedAt));
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
