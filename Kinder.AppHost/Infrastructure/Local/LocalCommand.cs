namespace Kinder.AppHost.Infrastructure.Local;

/// <summary>
/// How a local resource is started: the program, and arguments that go before the resource's own. A program that is
/// not installed becomes a shell that prints what to install and exits 127, so the resource fails with that message
/// in its log and whatever waits for it stops waiting.
/// </summary>
internal sealed record LocalCommand(string Program, IReadOnlyList<string> Prefix, bool Found)
{
    public static LocalCommand Find(string program, string installHint, params string[] directories)
    {
        var path = Path.IsPathRooted(program)
            ? (File.Exists(program) ? program : null)
            : directories.Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
                .Select(directory => Path.Combine(directory, program))
                .FirstOrDefault(File.Exists);
        return path is not null ? new LocalCommand(path, [], true) : Missing($"{program} is not installed: {installHint}");
    }

    /// <summary>A command that fails with <paramref name="message"/>; later arguments become ignored shell parameters.</summary>
    public static LocalCommand Missing(string message) =>
        new("/bin/sh", ["-c", $"echo \"$0\" >&2; exit 127", message], false);

    /// <summary>
    /// PostgreSQL refuses to run as root; run as the <c>postgres</c> user then. setpriv execs in place (no extra process
    /// between DCP and the server), so DCP's stop signal reaches the server itself.
    /// </summary>
    public LocalCommand AsPostgresUserWhenRoot()
    {
        if (!Found || Environment.UserName != "root")
            return this;
        var setpriv = Find("setpriv", "apt-get install util-linux", "/usr/bin", "/bin");
        return setpriv.Found
            ? new LocalCommand(setpriv.Program, ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", Program, .. Prefix], true)
            : setpriv;
    }

    public IEnumerable<string> With(params IEnumerable<string> arguments) => Prefix.Concat(arguments);
}
