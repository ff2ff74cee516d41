using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Kinder.Core;

namespace Kinder.Tests.Infrastructure;

/// <summary>
/// One server program started for this test process, its output kept (the last lines) for error messages, stopped
/// with its own shutdown signal when the process exits. It runs under <c>setpriv --pdeathsig</c>, so the kernel
/// sends it that signal too if the test process dies without stopping it (a crash, a kill -9).
/// </summary>
public sealed class LocalServerProcess
{
    private const int OutputLines = 40;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);
    private readonly Process _process;
    private readonly Signal _stopSignal;
    private readonly ConcurrentQueue<string> _output = new();

    private LocalServerProcess(string name, Process process, Signal stopSignal)
    {
        Name = name;
        _process = process;
        _stopSignal = stopSignal;
    }

    public string Name { get; }

    public enum Signal
    {
        Interrupt = 2,
        Terminate = 15,
    }

    /// <summary>
    /// Starts <paramref name="program"/> on a free loopback port, as <paramref name="user"/> (null: as this process),
    /// and waits until it answers on that port. Should the port be taken by someone else in the meantime, the server
    /// exits, and it is started again on another port. Returns the port.
    /// </summary>
    public static int Start(string name, string? user, Signal stopSignal, string program,
        Func<int, IEnumerable<string>> arguments, Func<int, bool> answers)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = LocalPorts.Reserve();
            var server = StartProcess(name, user, stopSignal, program, arguments(port));
            if (server.WaitReady(() => answers(port)))
            {
                return port;
            }
            if (attempt == 3)
            {
                throw new InvalidOperationException($"{name} exited while starting ({program}):\n{server.Output()}");
            }
        }
    }

    private static LocalServerProcess StartProcess(string name, string? user, Signal stopSignal, string program,
        IEnumerable<string> arguments)
    {
        var startInfo = LocalServers.StartInfo(user, program, arguments,
            parentDeathSignal: stopSignal == Signal.Interrupt ? "INT" : "TERM");
        var server = new LocalServerProcess(name, new Process { StartInfo = startInfo }, stopSignal);
        server._process.OutputDataReceived += (_, line) => server.Keep(line.Data);
        server._process.ErrorDataReceived += (_, line) => server.Keep(line.Data);
        Launcher.Start(server._process);
        LocalServers.Track(server);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    public string Output() => string.Join('\n', _output);

    public void RequestStop()
    {
        if (!_process.HasExited)
        {
            _ = Libc.kill(_process.Id, (int)_stopSignal);
        }
    }

    public void WaitStopped()
    {
        if (!_process.WaitForExit(StopTimeout))
        {
            Console.Error.WriteLine($"{Name} did not stop within {StopTimeout.TotalSeconds:0}s; killing it.");
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    private bool WaitReady(Func<bool> isReady)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        // Exited first: not ours that answered, whatever listens on the port now.
        while (!(isReady() && !_process.HasExited))
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // and for the rest of its output
                return false;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{Name} did not answer within 60s:\n{Output()}");
            }
            Thread.Sleep(100);
        }
        return true;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > OutputLines && _output.TryDequeue(out _))
        {
        }
    }

    /// <summary>
    /// Starts every server from one thread that lives as long as the process: the parent-death signal is sent when
    /// the thread that forked the server ends, and thread-pool threads end when idle.
    /// </summary>
    internal static class Launcher
    {
        private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> Queue = [];

        static Launcher() => new Thread(Run) { IsBackground = true, Name = "Test server launcher" }.Start();

        public static void Start(Process process)
        {
            var started = new TaskCompletionSource();
            Queue.Add((process, started));
            started.Task.GetAwaiter().GetResult();
        }

        private static void Run()
        {
            foreach (var (process, started) in Queue.GetConsumingEnumerable())
            {
                try
                {
                    process.Start();
                    started.SetResult();
                }
                catch (Exception exception)
                {
                    started.SetException(exception);
                }
            }
        }
    }
}

internal static class Libc
{
    [DllImport("libc", SetLastError = true)]
    internal static extern int kill(int pid, int signal);

    [DllImport("libc")]
    internal static extern uint geteuid();
}
