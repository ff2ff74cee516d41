using Kinder.Core.Email;

namespace Kinder.Workers.Email.Templates;

/// <summary>Sent on registration: welcome, and confirm your address (the link lives 24 hours).</summary>
public sealed class WelcomeVerifyTemplate : EmailTemplate
{
    public override string Name => EmailTemplates.WelcomeVerify;

    public override IReadOnlyList<string> RequiredValues { get; } = ["displayName", "verifyUrl", "token"];

    protected override RenderedEmail Render(TemplateValues values)
    {
        const string subject = "Welcome to Kinder! Please confirm your email";
        var text = $"""
            Hi {values.Text("displayName")},

            Welcome to Kinder! We're so glad you're here. Kinder helps you find people nearby who love the same things you do, and events where you can meet them.

            Please confirm your email address so you can create events, RSVP and chat with other members:

            {values.Url("verifyUrl")}

            Or enter this code in the app: {values.Text("token")}

            The link works for 24 hours. If you didn't sign up for Kinder, you can safely ignore this email.
            """;
        var html = EmailLayout.Html(subject, $"""
            <p style="margin:0 0 16px;">Hi {values.Html("displayName")},</p>
            <p style="margin:0 0 16px;">Welcome to Kinder! We're so glad you're here. Kinder helps you find people nearby who love the same things you do, and events where you can meet them.</p>
            <p style="margin:0;">Please confirm your email address so you can create events, RSVP and chat with other members.</p>
            {EmailLayout.Button(values.HtmlUrl("verifyUrl"), "Confirm my email")}
            {EmailLayout.LinkFallback(values.HtmlUrl("verifyUrl"))}
            {EmailLayout.Code(values.Html("token"))}
            <p style="margin:16px 0 0;">The link works for 24 hours. If you didn't sign up for Kinder, you can safely ignore this email.</p>
            """);
        return new RenderedEmail(subject, EmailLayout.Text(text), html);
    }
}
