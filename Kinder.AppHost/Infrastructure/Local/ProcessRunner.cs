using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Kinder.AppHost.Infrastructure.Local;

/// <summary>Runs a short setup command (initdb, chown) to completion, its output to a resource's log.</summary>
internal static class ProcessRunner
{
    public static async Task RunAsync(ILogger logger, LocalCommand command, IEnumerable<string> arguments,
        CancellationToken cancellationToken)
    {
        if (command.Problem is { } problem)
            throw new DistributedApplicationException(problem);
        var startInfo = new ProcessStartInfo(command.Program, command.With(arguments))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {command.Program}.");
        process.OutputDataReceived += (_, line) => { if (line.Data is { } text) logger.LogInformation("{Line}", text); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is { } text) logger.LogWarning("{Line}", text); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(command.Program)} {string.Join(' ', startInfo.ArgumentList)} exited with {process.ExitCode}.");
        }
    }
}
