namespace Kinder.Core;

/// <summary>Where the app itself lives (section <c>App</c>): the base of every link we put in an email.</summary>
public sealed class AppOptions
{
    public const string SectionName = "App";

    /// <summary>The web app's public base URL, e.g. <c>https://kinder.app</c>; links are <c>{PublicUrl}/verify-email?token=…</c>.</summary>
    public string PublicUrl { get; set; } = "";

    public bool IsValid => Uri.TryCreate(PublicUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    public string Link(string path, string token) =>
        $"{PublicUrl.TrimEnd('/')}/{path}?token={Uri.EscapeDataString(token)}";
}
