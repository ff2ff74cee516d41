using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Kinder.AppHost;

/// <summary>
/// Names on the console, the moment it happens, every resource that fails to start or exits with an error (a port
/// that is taken, a program that is missing, a service that crashes), with the last lines it wrote. Without it a start
/// whose broker died waits in silence: the services wait for what will never be healthy, and only the dashboard shows
/// why.
/// </summary>
internal sealed partial class ResourceFailures(ResourceNotificationService notifications, ResourceLoggerService logs,
    ILogger<ResourceFailures> logger)
{
    /// <summary>How many of a failed resource's last log lines the console shows.</summary>
    public const int LastLines = 8;

    // A failed resource's log is replayed from its start; what arrives within this long is all there is to show.
    private static readonly TimeSpan LogReadTime = TimeSpan.FromSeconds(2);

    /// <summary>Watches every resource until <paramref name="stoppingToken"/> (the host stopping: what stops then is not a failure).</summary>
    public async Task ReportAsync(string? dashboard, CancellationToken stoppingToken)
    {
        var reported = new HashSet<string>();
        try
        {
            await foreach (var resourceEvent in notifications.WatchAsync(stoppingToken))
            {
                if (FailureOf(resourceEvent.Snapshot) is not { } failure || !reported.Add(resourceEvent.ResourceId))
                    continue;
                var lines = await LastLogLinesAsync(resourceEvent.ResourceId, stoppingToken);
                if (stoppingToken.IsCancellationRequested)
                    return;
                logger.LogError(
                    """
                    {Resource} {Failure}; what waits for it will not start. Its last lines:
                    {Lines}
                    All of its output: {Dashboard}/consolelogs/resource/{ResourceId}
                    """,
                    resourceEvent.Resource.Name, failure,
                    lines.Count == 0 ? "  (none)" : string.Join(Environment.NewLine, lines.Select(line => "  " + line)),
                    dashboard ?? "the dashboard", resourceEvent.ResourceId);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>What went wrong with a resource in this state, or null if nothing did (running, starting, or done with code 0).</summary>
    public static string? FailureOf(CustomResourceSnapshot snapshot)
    {
        var state = snapshot.State?.Text;
        if (state == KnownResourceStates.FailedToStart)
            return "failed to start";
        if ((state == KnownResourceStates.Exited || state == KnownResourceStates.Finished) && snapshot.ExitCode is { } code and not 0)
            return $"exited with code {code}";
        return null;
    }

    private async Task<List<string>> LastLogLinesAsync(string resourceId, CancellationToken stoppingToken)
    {
        var read = new List<LogLine>();
        using var enough = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        enough.CancelAfter(LogReadTime);
        try
        {
            await foreach (var batch in logs.WatchAsync(resourceId).WithCancellation(enough.Token))
                read.AddRange(batch);
        }
        catch (OperationCanceledException)
        {
            // The read time is over (the log has no end while the resource is known).
        }
        return ShownLines(read);
    }

    /// <summary>
    /// The last <see cref="LastLines"/> lines in the order they were written, without their timestamps and without
    /// stack frames, so an exception's message is among them and not pushed out by its trace.
    /// </summary>
    public static List<string> ShownLines(IEnumerable<LogLine> lines) =>
    [
        .. lines.Select(line => (Match: Timestamp().Match(line.Content), line.LineNumber, line.Content))
            // The resource's output and DCP's own lines are numbered apart: their timestamps order them.
            .OrderBy(line => line.Match.Success ? line.Match.Value : "")
            .ThenBy(line => line.LineNumber)
            // One entry may be many lines (an exception Aspire logged with its trace).
            .SelectMany(line => line.Content[line.Match.Length..].Split('\n'))
            .Select(content => content.TrimEnd())
            .Where(content => content.Length > 0 && !IsStackFrame(content.TrimStart()))
            .TakeLast(LastLines),
    ];

    private static bool IsStackFrame(string line) =>
        line.StartsWith("at ", StringComparison.Ordinal) || line.StartsWith("--- End of", StringComparison.Ordinal);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T[\d:.]+Z\s")]
    private static partial Regex Timestamp();
}
