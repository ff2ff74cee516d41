using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Infrastructure;

/// <summary>
/// Kinder.Workers as a process of its own (<c>dotnet Kinder.Workers.dll</c> from its build output), for the tests that
/// must kill it for real: <see cref="Kill"/> is a SIGKILL, no shutdown code runs. It gets the settings an in-process
/// host gets (<see cref="TestSettings"/>) as environment variables, and dies with the test process (<c>--pdeathsig</c>).
/// </summary>
public sealed class WorkersProcess : IDisposable
{
    private const int OutputLines = 60;
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private WorkersProcess(Process process) => this.process = process;

    public bool HasExited => process.HasExited;

    /// <summary>What <see cref="TestHostSettings.UseTestServers"/> gives an in-process host on this database.</summary>
    public static Dictionary<string, string?> TestSettings(string databaseConnectionString)
    {
        var recorder = new SettingsRecorder();
        recorder.UseTestServers(databaseConnectionString);
        return recorder.Settings;
    }

    public static WorkersProcess Start(IReadOnlyDictionary<string, string?> settings)
    {
        var dll = WorkersDll();
        var dotnet = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var startInfo = LocalServers.StartInfo(null, dotnet, [dll], parentDeathSignal: "KILL");
        startInfo.WorkingDirectory = Path.GetDirectoryName(dll)!;
        foreach (var (key, value) in settings)
        {
            if (key == WebHostDefaults.EnvironmentKey)
            {
                startInfo.Environment["DOTNET_ENVIRONMENT"] = value;
                startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = value;
            }
            else
            {
                startInfo.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }
        startInfo.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        var workers = new WorkersProcess(new Process { StartInfo = startInfo });
        workers.process.OutputDataReceived += (_, line) => workers.Keep(line.Data);
        workers.process.ErrorDataReceived += (_, line) => workers.Keep(line.Data);
        LocalServerProcess.Launcher.Start(workers.process);
        workers.process.BeginOutputReadLine();
        workers.process.BeginErrorReadLine();
        return workers;
    }

    /// <summary>SIGKILL, and wait until it is gone.</summary>
    public void Kill()
    {
        if (!process.HasExited)
            process.Kill();
        process.WaitForExit();
    }

    /// <summary>The last lines it wrote, for a failing test's message.</summary>
    public string Output() => string.Join('\n', output);

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        output.Enqueue(line);
        while (output.Count > OutputLines && output.TryDequeue(out _))
        {
        }
    }

    /// <summary>Kinder.Workers' own build output beside this one (…/Kinder.Tests/bin/&lt;configuration&gt;/&lt;tfm&gt;/).</summary>
    private static string WorkersDll()
    {
        var tests = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (tests.Name, tests.Parent!.Name);
        var root = tests.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "Kinder.Workers", "bin", configuration, framework, "Kinder.Workers.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build Kinder.Workers first: {dll} is missing.");
    }

    /// <summary>Takes what a host builder is given with <c>UseSetting</c> (and <c>UseEnvironment</c>); nothing else.</summary>
    private sealed class SettingsRecorder : IWebHostBuilder
    {
        public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

        public IWebHostBuilder UseSetting(string key, string? value)
        {
            Settings[key] = value;
            return this;
        }

        public string? GetSetting(string key) => Settings.GetValueOrDefault(key);

#pragma warning disable ASPDEPR008 // the interface still names IWebHost
        public IWebHost Build() => throw new NotSupportedException();
#pragma warning restore ASPDEPR008

        public IWebHostBuilder ConfigureAppConfiguration(Action<WebHostBuilderContext, IConfigurationBuilder> configureDelegate) =>
            throw new NotSupportedException();

        public IWebHostBuilder ConfigureServices(Action<IServiceCollection> configureServices) => throw new NotSupportedException();

        public IWebHostBuilder ConfigureServices(Action<WebHostBuilderContext, IServiceCollection> configureServices) =>
            throw new NotSupportedException();
    }
}
