using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Kinder.Core;

namespace Kinder.Tests.AppHost;

public sealed class LocalPortsTests
{
    [Fact]
    public void Reserved_ports_are_distinct_below_the_ephemeral_range_and_free_on_every_address()
    {
        var firstEphemeral = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
            .Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);

        var ports = Enumerable.Range(0, 100).Select(_ => LocalPorts.Reserve()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 20000, firstEphemeral - 1));
        foreach (var port in ports.Take(10))
        {
            using var ipv4 = new TcpListener(IPAddress.Loopback, port);
            using var ipv6 = new TcpListener(IPAddress.IPv6Loopback, port);
            ipv4.Start();
            ipv6.Start();
        }
    }

    [Fact]
    public void A_port_another_process_has_reserved_is_locked_for_it()
    {
        var port = LocalPorts.Reserve();
        var lockFile = Path.Combine(Path.GetTempPath(), $"kinder-ports-{Environment.UserName}", port.ToString(CultureInfo.InvariantCulture));

        // The same open another Kinder process makes before it takes a port.
        Assert.Throws<IOException>(() => new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
    }
}
