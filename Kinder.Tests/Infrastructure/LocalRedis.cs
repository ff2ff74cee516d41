using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kinder.Tests.Infrastructure;

/// <summary>A redis-server for this test process, without persistence.</summary>
public static class LocalRedis
{
    /// <summary>Starts it; returns its host:port.</summary>
    public static string Start()
    {
        var program = LocalServers.FindProgram("redis-server",
            "apt-get install redis-server (./kinder test installs it), or set KINDER_TEST_REDIS to a server of your own");
        var directory = Directory.CreateDirectory(Path.Combine(LocalServers.Directory, "redis")).FullName;
        var port = LocalServerProcess.Start("Redis", null, LocalServerProcess.Signal.Terminate, program,
            port =>
            [
                "--port", $"{port}", "--bind", "127.0.0.1", "--dir", directory, "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--supervised", "no",
            ],
            AnswersPing);
        return $"127.0.0.1:{port}";
    }

    private static bool AnswersPing(int port)
    {
        try
        {
            using var client = new TcpClient { ReceiveTimeout = 2000 };
            client.Connect(IPAddress.Loopback, port);
            var stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var reply = new byte[7];
            var length = stream.Read(reply);
            return Encoding.ASCII.GetString(reply, 0, length) == "+PONG\r\n"; // a server still loading answers an error
        }
        catch (Exception exception) when (exception is SocketException or IOException)
        {
            return false;
        }
    }
}
