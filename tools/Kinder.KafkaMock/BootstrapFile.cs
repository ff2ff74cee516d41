namespace Kinder.KafkaMock;

/// <summary>The file a runner waits for: it appears complete or not at all.</summary>
internal static class BootstrapFile
{
    public static void Write(string path, string bootstrapServers)
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        // Same directory, so the rename is atomic: a reader never sees a half-written address.
        var temporary = $"{fullPath}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, bootstrapServers + "\n");
        File.Move(temporary, fullPath, overwrite: true);
    }

    // A stale file would point the next reader at a port nobody listens on.
    public static void Delete(string path) => File.Delete(path);
}
