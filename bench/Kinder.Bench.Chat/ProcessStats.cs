using System.Globalization;

namespace Kinder.Bench.Chat;

/// <summary>
/// What /proc says about the stack's processes: command lines, who listens on a port, CPU time (user + system, with
/// the process's descendants, so PostgreSQL's backends count), resident memory. Linux only.
/// </summary>
public static class ProcessStats
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>The process listening on 127.0.0.1/0.0.0.0:<paramref name="port"/>, or null.</summary>
    public static int? ListenerOf(int port)
    {
        var inodes = new HashSet<string>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // local_address is HEX_IP:HEX_PORT; state 0A is LISTEN; field 9 is the socket inode.
                if (fields.Length > 9 && fields[3] == "0A" &&
                    int.Parse(fields[1][(fields[1].IndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                {
                    inodes.Add($"socket:[{fields[9]}]");
                }
            }
        }
        if (inodes.Count == 0) return null;
        foreach (var pid in Pids())
        {
            try
            {
                foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    if (target is not null && inodes.Contains(target)) return pid;
                }
            }
            catch (Exception exception) when (exception is UnauthorizedAccessException or IOException)
            {
                // Someone else's process, or gone.
            }
        }
        return null;
    }

    /// <summary>Every process's command line (arguments split at NUL); kernel threads and vanished processes left out.</summary>
    public static IEnumerable<(int Pid, string[] Arguments)> CommandLines()
    {
        foreach (var pid in Pids())
        {
            string text;
            try
            {
                text = File.ReadAllText($"/proc/{pid}/cmdline");
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            var arguments = text.Split('\0', StringSplitOptions.RemoveEmptyEntries);
            if (arguments.Length > 0) yield return (pid, arguments);
        }
    }

    /// <summary>
    /// CPU seconds used so far by the process (and its descendants). With descendants, children that have exited and
    /// been waited for count too (cutime/cstime), so a PostgreSQL backend that ends inside a window does not take its
    /// CPU out of the sum.
    /// </summary>
    public static double CpuSeconds(int pid, bool withDescendants = true)
    {
        var stats = Pids().Select(Stat).OfType<(int Pid, int Parent, long Ticks, long ExitedChildrenTicks)>().ToList();
        var children = stats.ToLookup(stat => stat.Parent);
        var pending = new Stack<int>([pid]);
        var self = stats.FirstOrDefault(stat => stat.Pid == pid);
        var ticks = self.Ticks + (withDescendants ? self.ExitedChildrenTicks : 0);
        while (withDescendants && pending.TryPop(out var current))
        {
            foreach (var child in children[current])
            {
                ticks += child.Ticks + child.ExitedChildrenTicks;
                pending.Push(child.Pid);
            }
        }
        return ticks / ClockTicksPerSecond;
    }

    /// <summary>Resident set size in bytes (VmRSS).</summary>
    /// <summary>The first http URL the process was told to listen on (ASPNETCORE_URLS in its environment), or null.</summary>
    public static Uri? ListenUrlOf(int pid)
    {
        var environment = File.ReadAllText($"/proc/{pid}/environ").Split('\0');
        var urls = environment.FirstOrDefault(entry => entry.StartsWith("ASPNETCORE_URLS=", StringComparison.Ordinal));
        return urls?["ASPNETCORE_URLS=".Length..].Split(';')
            .Where(url => url.StartsWith("http://", StringComparison.Ordinal))
            .Select(url => new Uri(url.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal)))
            .FirstOrDefault();
    }

    public static long RssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }

    /// <summary>Whole-machine busy and total jiffies (/proc/stat), for "how busy were the cores".</summary>
    public static (long Busy, long Total) MachineTicks()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(value => long.Parse(value, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + fields[4];
        var total = fields.Take(8).Sum();
        return (total - idle, total);
    }

    private static IEnumerable<int> Pids() =>
        Directory.EnumerateDirectories("/proc")
            .Select(path => int.TryParse(Path.GetFileName(path), out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    private static (int Pid, int Parent, long Ticks, long ExitedChildrenTicks)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ": state ppid … utime(12th) stime(13th) cutime cstime, 0-based 11 to 14.
            long Field(int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);
            return (pid, int.Parse(fields[1], CultureInfo.InvariantCulture), Field(11) + Field(12), Field(13) + Field(14));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
