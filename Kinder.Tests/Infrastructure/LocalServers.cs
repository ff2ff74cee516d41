using System.Diagnostics;

namespace Kinder.Tests.Infrastructure;

/// <summary>
/// What the servers this test process starts (<see cref="LocalPostgres"/>, <see cref="LocalRedis"/>,
/// <see cref="LocalS3"/>) share: one scratch directory, stopped and deleted when the process exits.
/// After a crash the servers stop themselves (parent-death signal, see <see cref="LocalServerProcess"/>) and the
/// directory is deleted by the next run; ports are random, so a leftover never stands in a later run's way.
/// </summary>
public static class LocalServers
{
    private const string Prefix = "kinder-testservers-";
    private static readonly List<LocalServerProcess> Started = [];
    private static readonly Lazy<string> LazyDirectory = new(CreateDirectory);
    private static FileStream? _ownerLock;

    /// <summary>This run's directory, traversable by the postgres user, which owns a subdirectory of it.</summary>
    public static string Directory => LazyDirectory.Value;

    public static bool IsRoot => Libc.geteuid() == 0;

    public static void Track(LocalServerProcess server)
    {
        lock (Started)
        {
            Started.Add(server);
        }
    }

    /// <summary>The full path of a program on PATH, or a message saying what to install.</summary>
    public static string FindProgram(string name, string install) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{name} is not installed: {install}");

    /// <summary>
    /// <paramref name="program"/> through setpriv, which execs it (no process in between to pass signals on):
    /// as <paramref name="user"/> when given, and with the signal the kernel sends it when its parent thread ends.
    /// </summary>
    public static ProcessStartInfo StartInfo(string? user, string program, IEnumerable<string> arguments,
        string? parentDeathSignal = null)
    {
        var startInfo = new ProcessStartInfo(FindProgram("setpriv", "apt-get install util-linux"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/", // the postgres user may not read ours
        };
        string[] options =
        [
            .. user is null ? [] : new[] { $"--reuid={user}", $"--regid={user}", "--init-groups" },
            .. parentDeathSignal is null ? [] : new[] { $"--pdeathsig={parentDeathSignal}" },
            "--", program, .. arguments,
        ];
        foreach (var option in options)
        {
            startInfo.ArgumentList.Add(option);
        }
        return startInfo;
    }

    /// <summary>Runs a setup step to its end; its output becomes the exception's message if it fails.</summary>
    public static void Run(string? user, string program, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(user, program, arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{output.Result}{errors}");
        }
    }

    private static string CreateDirectory()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException(
                "The test servers are started on Linux only; elsewhere set KINDER_TEST_POSTGRES, KINDER_TEST_REDIS and KINDER_TEST_S3.");
        }
        DeleteLeftovers();
        var directory = System.IO.Directory.CreateTempSubdirectory(Prefix).FullName;
        // Held until this process ends, however it ends: a lock nobody holds marks a crashed run's leftovers.
        _ownerLock = new FileStream(Path.Combine(directory, "owner.lock"), FileMode.CreateNew, FileAccess.Write, FileShare.None);
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll(directory);
        return directory;
    }

    private static void StopAll(string directory)
    {
        List<LocalServerProcess> servers;
        lock (Started)
        {
            servers = [.. Started];
        }
        foreach (var server in servers)
        {
            server.RequestStop();
        }
        foreach (var server in servers)
        {
            server.WaitStopped();
        }
        try
        {
            // The servers' data first and the lock last: should the test host be killed meanwhile (dotnet test waits
            // only VSTEST_TESTHOST_SHUTDOWN_TIMEOUT for it to exit), the next run knows the rest for a leftover.
            foreach (var data in System.IO.Directory.EnumerateDirectories(directory))
            {
                System.IO.Directory.Delete(data, recursive: true);
            }
            _ownerLock?.Dispose();
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Could not delete {directory} (the next run will): {exception.Message}");
        }
    }

    /// <summary>Directories of runs that died without cleaning up (an old lock nobody holds any more).</summary>
    private static void DeleteLeftovers()
    {
        foreach (var directory in System.IO.Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var lockFile = Path.Combine(directory, "owner.lock");
            try
            {
                // The age rules out a run that has made its directory but not yet locked it.
                if (!File.Exists(lockFile) || File.GetLastWriteTimeUtc(lockFile) > DateTime.UtcNow.AddMinutes(-1))
                {
                    continue;
                }
                using (new FileStream(lockFile, FileMode.Open, FileAccess.Write, FileShare.None))
                {
                    System.IO.Directory.Delete(directory, recursive: true);
                }
            }
            catch (IOException)
            {
                // Locked: its run is alive. Or another run is deleting it right now.
            }
            catch (UnauthorizedAccessException)
            {
                // Another user's run.
            }
        }
    }
}
