using Kinder.Core.Email;

namespace Kinder.Workers.Email.Templates;

/// <summary>Sent on forgot-password: a single-use link that lives one hour.</summary>
public sealed class PasswordResetTemplate : EmailTemplate
{
    public override string Name => EmailTemplates.PasswordReset;

    public override IReadOnlyList<string> RequiredValues { get; } = ["displayName", "resetUrl", "token"];

    protected override RenderedEmail Render(TemplateValues values)
    {
        const string subject = "Reset your Kinder password";
        var text = $"""
            Hi {values.Text("displayName")},

            We got a request to reset the password of your Kinder account. Choose a new one here:

            {values.Url("resetUrl")}

            Or enter this code in the app: {values.Text("token")}

            The link works once, for 1 hour. If you didn't ask to reset your password, you can ignore this email: your password stays as it is.
            """;
        var html = EmailLayout.Html(subject, $"""
            <p style="margin:0 0 16px;">Hi {values.Html("displayName")},</p>
            <p style="margin:0;">We got a request to reset the password of your Kinder account. Choose a new one here.</p>
            {EmailLayout.Button(values.HtmlUrl("resetUrl"), "Choose a new password")}
            {EmailLayout.LinkFallback(values.HtmlUrl("resetUrl"))}
            {EmailLayout.Code(values.Html("token"))}
            <p style="margin:16px 0 0;">The link works once, for 1 hour. If you didn't ask to reset your password, you can ignore this email: your password stays as it is.</p>
            """);
        return new RenderedEmail(subject, EmailLayout.Text(text), html);
    }
}
