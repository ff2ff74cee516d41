using System.Net;
using Kinder.Core.Email;

namespace Kinder.Workers.Email.Templates;

/// <summary>The daily or weekly digest of unread notifications (one line per notification in <c>items</c>).</summary>
public sealed class DigestTemplate : EmailTemplate
{
    public override string Name => EmailTemplates.Digest;

    public override IReadOnlyList<string> RequiredValues { get; } = ["displayName", "period", "count", "items"];

    protected override RenderedEmail Render(TemplateValues values)
    {
        var subject = $"Your {values.Text("period")} Kinder digest: {values.Text("count")} unread".ReplaceLineEndings(" ");
        var lines = values.Text("items").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var text = $"""
            Hi {values.Text("displayName")},

            You have {values.Text("count")} unread notifications:

            {string.Join("\n", lines.Select(line => "- " + line))}

            You get this email because you chose a {values.Text("period")} digest; change it in Kinder's notification settings.
            """;
        var items = string.Concat(lines.Select(line => $"<li style=\"margin:0 0 8px;\">{WebUtility.HtmlEncode(line)}</li>"));
        var html = EmailLayout.Html(WebUtility.HtmlEncode(subject), $"""
            <p style="margin:0 0 16px;">Hi {values.Html("displayName")},</p>
            <p style="margin:0 0 8px;">You have <strong>{values.Html("count")}</strong> unread notifications:</p>
            <ul style="margin:0 0 16px;padding-left:20px;">{items}</ul>
            <p style="margin:0;color:#666;">You get this email because you chose a {values.Html("period")} digest; change it in Kinder's notification settings.</p>
            """);
        return new RenderedEmail(subject, EmailLayout.Text(text), html);
    }
}
