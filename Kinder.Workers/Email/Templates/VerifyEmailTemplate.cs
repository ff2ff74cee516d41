using Kinder.Core.Email;

namespace Kinder.Workers.Email.Templates;

/// <summary>Sent when a user asks for a new verification link.</summary>
public sealed class VerifyEmailTemplate : EmailTemplate
{
    public override string Name => EmailTemplates.VerifyEmail;

    public override IReadOnlyList<string> RequiredValues { get; } = ["displayName", "verifyUrl", "token"];

    protected override RenderedEmail Render(TemplateValues values)
    {
        const string subject = "Confirm your email for Kinder";
        var text = $"""
            Hi {values.Text("displayName")},

            Here's a fresh link to confirm your email address. Once it's confirmed you can create events, RSVP and chat with other members:

            {values.Url("verifyUrl")}

            Or enter this code in the app: {values.Text("token")}

            The link works for 24 hours, and any link we sent you before this one no longer does. If you didn't ask for it, you can safely ignore this email.
            """;
        var html = EmailLayout.Html(subject, $"""
            <p style="margin:0 0 16px;">Hi {values.Html("displayName")},</p>
            <p style="margin:0;">Here's a fresh link to confirm your email address. Once it's confirmed you can create events, RSVP and chat with other members.</p>
            {EmailLayout.Button(values.HtmlUrl("verifyUrl"), "Confirm my email")}
            {EmailLayout.LinkFallback(values.HtmlUrl("verifyUrl"))}
            {EmailLayout.Code(values.Html("token"))}
            <p style="margin:16px 0 0;">The link works for 24 hours, and any link we sent you before this one no longer does. If you didn't ask for it, you can safely ignore this email.</p>
            """);
        return new RenderedEmail(subject, EmailLayout.Text(text), html);
    }
}
