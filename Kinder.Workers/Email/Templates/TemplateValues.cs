using System.Net;

namespace Kinder.Workers.Email.Templates;

/// <summary>A request's values as a template uses them: as they are for plain text, HTML-encoded for HTML.</summary>
public sealed class TemplateValues(string template, IReadOnlyDictionary<string, string> values)
{
    public string Text(string name) => values[name];

    public string Html(string name) => WebUtility.HtmlEncode(values[name]);

    /// <summary>A link the email points at: only an absolute http(s) URL, so no value can smuggle in another scheme.</summary>
    public string Url(string name) =>
        Uri.TryCreate(values[name], UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            ? values[name]
            : throw new InvalidEmailRequestException($"The '{template}' email needs '{name}' to be an absolute http(s) URL.");

    public string HtmlUrl(string name) => WebUtility.HtmlEncode(Url(name));
}
