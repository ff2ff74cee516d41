using System.Diagnostics;

namespace Kinder.AppHost.Infrastructure;

public enum InfrastructureMode
{
    /// <summary>PostgreSQL, Redis, Kafka, SMTP and S3 as containers on data volumes (Docker or Podman).</summary>
    Containers,

    /// <summary>The same resources as local processes: Debian's PostgreSQL and Redis, the librdkafka mock broker, smtp4dev, s3rver.</summary>
    Local,
}

/// <summary>
/// Containers where a container runtime answers, local processes where none does; <c>Kinder:Infrastructure</c>
/// (<c>auto</c>, <c>containers</c>, <c>local</c>) overrides. Publishing always describes containers: a deployment has no
/// use for a mock broker.
/// </summary>
public sealed record InfrastructureChoice(InfrastructureMode Mode, string Reason)
{
    public static InfrastructureChoice Decide(IDistributedApplicationBuilder builder, string? configured)
    {
        if (builder.ExecutionContext.IsPublishMode)
            return new(InfrastructureMode.Containers, "publishing describes containers");

        switch (configured?.Trim().ToLowerInvariant())
        {
            case "containers":
                return new(InfrastructureMode.Containers, "Kinder:Infrastructure=containers");
            case "local":
                return new(InfrastructureMode.Local, "Kinder:Infrastructure=local");
            case null or "" or "auto":
                break;
            default:
                throw new InvalidOperationException(
                    $"Kinder:Infrastructure is '{configured}'; use auto, containers or local.");
        }

        // The same setting Aspire reads to pick its runtime.
        var runtime = builder.Configuration["ASPIRE_CONTAINER_RUNTIME"]
            ?? builder.Configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"]
            ?? "docker";
        return RuntimeAnswers(runtime, out var detail)
            ? new(InfrastructureMode.Containers, $"{runtime} answered ({detail})")
            : new(InfrastructureMode.Local, $"no container runtime answered ({runtime}: {detail})");
    }

    private static bool RuntimeAnswers(string runtime, out string detail)
    {
        var startInfo = new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var process = Process.Start(startInfo)!;
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
                detail = "no answer within 10 s";
                return false;
            }
            var version = output.Result.Trim();
            detail = process.ExitCode == 0 ? $"server {version}" : $"exit code {process.ExitCode}";
            return process.ExitCode == 0 && version.Length > 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            detail = "not installed";
            return false;
        }
    }
}
