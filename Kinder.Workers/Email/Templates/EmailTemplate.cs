namespace Kinder.Workers.Email.Templates;

/// <summary>The subject and the two bodies of one email, ready to send.</summary>
public sealed record RenderedEmail(string Subject, string TextBody, string HtmlBody);

/// <summary>
/// One email Kinder sends: its name (one of <see cref="Kinder.Core.Email.EmailTemplates"/>), the values it needs and
/// how it reads, as plain text and as HTML.
/// </summary>
public abstract class EmailTemplate
{
    public abstract string Name { get; }

    /// <summary>Values a request must carry (non-blank); others are ignored.</summary>
    public abstract IReadOnlyList<string> RequiredValues { get; }

    /// <exception cref="InvalidEmailRequestException">A required value is missing or blank, or a link is not an http(s) URL.</exception>
    public RenderedEmail Render(IReadOnlyDictionary<string, string> values)
    {
        var missing = RequiredValues.Where(name => !values.TryGetValue(name, out var value) || string.IsNullOrWhiteSpace(value)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidEmailRequestException($"The '{Name}' email needs the value(s) {string.Join(", ", missing)}.");
        }
        return Render(new TemplateValues(Name, values));
    }

    protected abstract RenderedEmail Render(TemplateValues values);
}
