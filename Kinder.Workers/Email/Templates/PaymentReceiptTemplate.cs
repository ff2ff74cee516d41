using Kinder.Core.Email;

namespace Kinder.Workers.Email.Templates;

/// <summary>A receipt per successful card payment, pointing at Stripe's own receipt (or invoice) page.</summary>
public sealed class PaymentReceiptTemplate : EmailTemplate
{
    public override string Name => EmailTemplates.PaymentReceipt;

    public override IReadOnlyList<string> RequiredValues { get; } = ["displayName", "description", "amount", "receiptUrl"];

    protected override RenderedEmail Render(TemplateValues values)
    {
        const string subject = "Your Kinder receipt";
        var text = $"""
            Hi {values.Text("displayName")},

            Thank you for your payment: {values.Text("description")}, {values.Text("amount")}.

            Your receipt: {values.Url("receiptUrl")}
            """;
        var html = EmailLayout.Html(subject, $"""
            <p style="margin:0 0 16px;">Hi {values.Html("displayName")},</p>
            <p style="margin:0 0 16px;">Thank you for your payment: {values.Html("description")}, <strong>{values.Html("amount")}</strong>.</p>
            <p style="margin:0;"><a href="{values.HtmlUrl("receiptUrl")}">View your receipt</a></p>
            """);
        return new RenderedEmail(subject, EmailLayout.Text(text), html);
    }
}
