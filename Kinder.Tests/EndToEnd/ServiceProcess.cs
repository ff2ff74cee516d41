using System.Collections.Concurrent;
using System.Diagnostics;

namespace Kinder.Tests.EndToEnd;

/// <summary>
/// One Kinder service run as its own process from its build output, exactly as the local runner runs it,
/// with its output kept so tests can read the logs (and print them when something fails).
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ServiceProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public IEnumerable<string> Lines => _lines;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static ServiceProcess Start(string name, string project, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(BuildOutput.DllOf(project))!,
        };
        startInfo.ArgumentList.Add(BuildOutput.DllOf(project));
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var service = new ServiceProcess(name, process);
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) service._lines.Enqueue(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) service._lines.Enqueue(line.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancellation.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits until a log line matching the predicate appears.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var match = _lines.FirstOrDefault(predicate);
            if (match is not null)
            {
                return match;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"{Name} did not log the expected line within {timeout}. Its output:\n{Output()}");
    }

    public string Output() => string.Join('\n', _lines.TakeLast(200).Select(line => $"[{Name}] {line}"));

    /// <summary>
    /// Stops the process: SIGKILL when <paramref name="kill"/> (a crash: nothing flushed, no group left), else SIGTERM
    /// so the host shuts down gracefully (consumers leave their group, Kestrel drains), SIGKILL after 10 s.
    /// </summary>
    public async Task StopAsync(bool kill = false)
    {
        if (_process.HasExited)
        {
            return;
        }
        if (kill)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            return;
        }
        Process.Start("kill", ["-TERM", _process.Id.ToString()])?.WaitForExit();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}

/// <summary>Finds the services' build output next to the tests' own (same configuration).</summary>
public static class BuildOutput
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // …/bin/<Configuration>/net10.0/

    public static string DllOf(string project) =>
        Path.Combine(RepositoryRoot, project, "bin", Configuration, "net10.0", project + ".dll");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Kinder.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Kinder.sln not found above " + AppContext.BaseDirectory);
    }
}
