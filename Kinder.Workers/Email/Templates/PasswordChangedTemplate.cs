using Kinder.Core.Email;

namespace Kinder.Workers.Email.Templates;

/// <summary>Sent after the password changed, so a user whose account was taken over hears of it.</summary>
public sealed class PasswordChangedTemplate : EmailTemplate
{
    public override string Name => EmailTemplates.PasswordChanged;

    public override IReadOnlyList<string> RequiredValues { get; } = ["displayName"];

    protected override RenderedEmail Render(TemplateValues values)
    {
        const string subject = "Your Kinder password was changed";
        var text = $"""
            Hi {values.Text("displayName")},

            The password of your Kinder account was just changed. If that was you, there's nothing else to do.

            If it wasn't you, please reset your password right away: open Kinder, tap "Forgot password?" on the sign-in screen and follow the steps.
            """;
        var html = EmailLayout.Html(subject, $"""
            <p style="margin:0 0 16px;">Hi {values.Html("displayName")},</p>
            <p style="margin:0 0 16px;">The password of your Kinder account was just changed. If that was you, there's nothing else to do.</p>
            <p style="margin:0;">If it wasn't you, please reset your password right away: open Kinder, tap <strong>Forgot password?</strong> on the sign-in screen and follow the steps.</p>
            """);
        return new RenderedEmail(subject, EmailLayout.Text(text), html);
    }
}
