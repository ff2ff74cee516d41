using System.Runtime.InteropServices;

namespace Kinder.KafkaMock;

/// <summary>Finds the librdkafka file that Confluent.Kafka loaded, so the mock cluster binds to that very copy.</summary>
/// <remarks>
/// Confluent picks one of several builds at run time (on Debian x64 <c>centos8-librdkafka.so</c>, because the plain
/// <c>librdkafka.so</c> needs libsasl2.so.3). Asking the OS which file is mapped avoids repeating that choice here.
/// </remarks>
internal static class LibrdkafkaLocator
{
    public static string FindLoadedLibrary()
    {
        // Forces Confluent.Kafka to load its native library (a no-op once loaded).
        _ = Confluent.Kafka.Library.Version;

        return (OperatingSystem.IsLinux() ? FromProcessMaps() : null)
            ?? FromPackageLayout()
            ?? throw new DllNotFoundException(
                "Could not find the librdkafka library that Confluent.Kafka loaded (looked in /proc/self/maps and runtimes/).");
    }

    private static string? FromProcessMaps()
    {
        // Each line ends with the mapped file's path: "7f.. r-xp 0001c000 08:01 1234  /…/centos8-librdkafka.so".
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var slash = line.IndexOf('/');
            if (slash < 0) continue;
            var path = line[slash..].Trim();
            var name = Path.GetFileName(path);
            if (name.Contains("librdkafka", StringComparison.Ordinal) && name.Contains(".so", StringComparison.Ordinal))
                return path;
        }
        return null;
    }

    // Windows and macOS have no /proc: there Confluent loads the one build the package ships for the platform.
    private static string? FromPackageLayout()
    {
        var fileName = OperatingSystem.IsWindows() ? "librdkafka.dll"
            : OperatingSystem.IsMacOS() ? "librdkafka.dylib"
            : "librdkafka.so";
        var path = Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", fileName);
        return File.Exists(path) ? path : null;
    }
}
