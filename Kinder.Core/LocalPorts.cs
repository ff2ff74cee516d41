using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kinder.Core;

/// <summary>
/// Free ports for servers Kinder starts on this machine — the AppHost's local infrastructure under
/// <c>Kinder:Ports:*=0</c>, the tests' servers and stacks, the bench's reference server — shared by all of them.
/// </summary>
/// <remarks>
/// A port is picked here and bound by another program seconds later, and a listener that takes it in between gets
/// that program's clients: smtp4dev, finding its SMTP port taken, logs the failure and serves its web inbox on, while
/// Workers' mail goes to whatever listens there and waits for a greeting that never comes. Two things close the gap:
/// the port comes from below the kernel's ephemeral range (Linux: <c>ip_local_port_range</c>, 32768 up by default),
/// where neither a bind to port 0 nor an outgoing connection of any process lands, and a lock file holds it for the
/// rest of this process's life, so no other Kinder process (the parallel test stacks, a developer's stack) picks it.
/// It is checked free on every address too, for a server still running from before.
/// </remarks>
public static class LocalPorts
{
    // Aspire's DCP picks its services' ports in this range too (seen here: 10305–32275): a clash needs one port picked
    // by both before either binds it. Below 10000 sit common development servers and Kinder's fixed ports.
    private const int Lowest = 20000;
    private const int HighestBelowEphemeral = 32767;
    private const int Attempts = 500;

    private static readonly ConcurrentBag<FileStream> Held = [];
    private static readonly Lazy<int> Highest = new(HighestPort);

    // Created once per process, not on every reservation.
    private static readonly Lazy<string> LockDirectory = new(() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"kinder-ports-{Environment.UserName}")).FullName);

    /// <summary>A port nothing listens on, that no other Kinder process will pick while this one runs.</summary>
    public static int Reserve()
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var port = Random.Shared.Next(Lowest, Highest.Value + 1);
            if (TryLock(port) is not { } held)
                continue;
            if (IsFree(port))
            {
                Held.Add(held);
                return port;
            }
            held.Dispose();
        }
        throw new InvalidOperationException(
            $"No free port in {Lowest}–{Highest.Value} after {Attempts} tries (locks in {LockDirectory.Value}).");
    }

    private static FileStream? TryLock(int port)
    {
        try
        {
            // FileShare.None is an exclusive flock on Unix: another process's (or this one's) open fails until the
            // holder closes it or exits, whichever way it exits.
            return new FileStream(Path.Combine(LockDirectory.Value, port.ToString(CultureInfo.InvariantCulture)),
                FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Whether a dual-stack bind to every address succeeds: it fails for a listener on any of them.</summary>
    private static bool IsFree(int port)
    {
        var ipv6 = Socket.OSSupportsIPv6;
        using var socket = new Socket(ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork,
            SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (ipv6)
                socket.DualMode = true;
            socket.Bind(new IPEndPoint(ipv6 ? IPAddress.IPv6Any : IPAddress.Any, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The top of the range: below the ephemeral ports, which start at 32768 unless configured lower.</summary>
    private static int HighestPort()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range"; // "first<TAB>last"
        var firstEphemeral = File.Exists(range)
            ? int.Parse(File.ReadAllText(range).Split('\t', ' ')[0], CultureInfo.InvariantCulture)
            : HighestBelowEphemeral + 1;
        var highest = Math.Min(HighestBelowEphemeral, firstEphemeral - 1);
        return highest - Lowest >= 1000
            ? highest
            : throw new InvalidOperationException(
                $"The ephemeral ports start at {firstEphemeral} ({range}), leaving no room for Kinder's local ports from {Lowest}.");
    }
}
