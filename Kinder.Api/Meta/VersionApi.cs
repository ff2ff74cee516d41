using System.Reflection;

namespace Kinder.Api.Meta;

public sealed record VersionResponse(string Version, string? Commit, DateTimeOffset BuiltAt);

public static class VersionApi
{
    private static readonly VersionResponse Current = Read();

    public static IEndpointRouteBuilder MapVersionApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/version", GetVersion)
            .WithName("GetVersion")
            .WithSummary("The running build: version, commit and build time.")
            .WithTags("Meta")
            .AllowAnonymous();
        return app;
    }

    public static VersionResponse GetVersion() => Current;

    private static VersionResponse Read()
    {
        var assembly = typeof(VersionApi).Assembly;
        // The SDK stamps "<version>+<commit>" when the source is a git checkout.
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var parts = informational.Split('+', 2);
        var commit = parts.Length == 2 ? parts[1] : Environment.GetEnvironmentVariable("KINDER_COMMIT");
        var builtAt = new DateTimeOffset(File.GetLastWriteTimeUtc(assembly.Location), TimeSpan.Zero);
        return new VersionResponse(parts[0], commit, builtAt);
    }
}
