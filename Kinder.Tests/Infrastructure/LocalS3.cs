using Kinder.Tests.EndToEnd;

namespace Kinder.Tests.Infrastructure;

/// <summary>
/// An s3rver (the npm package, which <c>./kinder test</c> installs into .kinder/node) for this test process; its keys
/// are s3rver's built-in development defaults.
/// </summary>
public static class LocalS3
{
    /// <summary>Starts it; returns its URL.</summary>
    public static string Start()
    {
        const string orYourOwn = "or set KINDER_TEST_S3 to a server of your own";
        var node = LocalServers.FindProgram("node", $"apt-get install nodejs npm, {orYourOwn}");
        var nodeModules = Path.Combine(BuildOutput.RepositoryRoot, ".kinder", "node");
        var s3rver = Path.Combine(nodeModules, "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(s3rver))
        {
            throw new InvalidOperationException(
                $"s3rver is not installed (no {s3rver}): ./kinder test installs it, or npm install --prefix {nodeModules} s3rver@3.7.1, {orYourOwn}");
        }
        var directory = Directory.CreateDirectory(Path.Combine(LocalServers.Directory, "s3")).FullName;
        var port = LocalServerProcess.Start("s3rver", null, LocalServerProcess.Signal.Terminate, node,
            port => [s3rver, "--directory", directory, "--address", "127.0.0.1", "--port", $"{port}", "--no-vhost-buckets"],
            AnswersHttp);
        return $"http://127.0.0.1:{port}";
    }

    /// <summary>Any HTTP answer will do: an anonymous request is refused, but with an S3 error.</summary>
    private static bool AnswersHttp(int port)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/"));
            return true;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
