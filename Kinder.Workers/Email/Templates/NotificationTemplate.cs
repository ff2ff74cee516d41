using Kinder.Core.Email;

namespace Kinder.Workers.Email.Templates;

/// <summary>A notification of a type the user chose email for (notification settings).</summary>
public sealed class NotificationTemplate : EmailTemplate
{
    public override string Name => EmailTemplates.Notification;

    public override IReadOnlyList<string> RequiredValues { get; } = ["displayName", "title", "body"];

    protected override RenderedEmail Render(TemplateValues values)
    {
        // The title is the user's content (an event's title): one line in the subject, encoded in the HTML.
        var subject = values.Text("title").ReplaceLineEndings(" ");
        var text = $"""
            Hi {values.Text("displayName")},

            {values.Text("title")}
            {values.Text("body")}

            You get this email because you chose email for this kind of notification; change it in Kinder's notification settings.
            """;
        var html = EmailLayout.Html(System.Net.WebUtility.HtmlEncode(subject), $"""
            <p style="margin:0 0 16px;">Hi {values.Html("displayName")},</p>
            <p style="margin:0 0 8px;"><strong>{values.Html("title")}</strong></p>
            <p style="margin:0 0 16px;">{values.Html("body")}</p>
            <p style="margin:0;color:#666;">You get this email because you chose email for this kind of notification; change it in Kinder's notification settings.</p>
            """);
        return new RenderedEmail(subject, EmailLayout.Text(text), html);
    }
}
