namespace Kinder.AppHost.Infrastructure.Local;

/// <summary>
/// How a local resource is started: the program, and arguments that go before the resource's own. A program that is
/// not installed carries a <see cref="Problem"/> that says what to install, and the resource fails to start with it.
/// </summary>
internal sealed record LocalCommand(string Program, IReadOnlyList<string> Prefix, string? Problem = null)
{
    public bool Found => Problem is null;

    public static LocalCommand Find(string program, string installHint, params string[] directories)
    {
        var path = Path.IsPathRooted(program)
            ? (File.Exists(program) ? program : null)
            : directories.Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
                .Select(directory => Path.Combine(directory, program))
                .FirstOrDefault(File.Exists);
        return path is not null ? new LocalCommand(path, []) : Missing($"{program} is not installed: {installHint}");
    }

    /// <summary>A command that is not there; <see cref="FailsWhenMissing{T}"/> turns it into a failed resource.</summary>
    public static LocalCommand Missing(string message) => new("/bin/false", [], message);

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
            ? new LocalCommand(setpriv.Program, ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", Program, .. Prefix])
            : setpriv;
    }

    /// <summary>
    /// Fails the resource before it runs when the program is missing, with what to install in its log. Failing later
    /// would not do: a dependent that saw the resource running waits for it to turn healthy, and would wait forever.
    /// </summary>
    public IResourceBuilder<T> FailsWhenMissing<T>(IResourceBuilder<T> resource) where T : IResource
    {
        if (Problem is { } problem)
        {
            resource.ApplicationBuilder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource.Resource,
                (_, _) => throw new DistributedApplicationException(problem));
        }
        return resource;
    }

    public IEnumerable<string> With(params IEnumerable<string> arguments) => Prefix.Concat(arguments);
}
