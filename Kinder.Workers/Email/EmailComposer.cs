using Kinder.Core.Email;
using Kinder.Workers.Email.Templates;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Kinder.Workers.Email;

/// <summary>Turns an email request into the message to send: template rendered, sender and recipient set.</summary>
public sealed class EmailComposer(IOptions<SmtpOptions> options, TimeProvider time)
{
    public const string TemplateHeader = "X-Kinder-Template";

    /// <exception cref="InvalidEmailRequestException">The request can never be sent as it is.</exception>
    public MimeMessage Compose(EmailRequestedIntegrationEvent request, Guid envelopeId)
    {
        if (string.IsNullOrWhiteSpace(request.To) || !MailboxAddress.TryParse(request.To, out var recipient)
            || recipient.Name is { Length: > 0 } || string.IsNullOrEmpty(recipient.Domain))
        {
            throw new InvalidEmailRequestException($"Email request {envelopeId} has no valid recipient address.");
        }
        var values = request.Values ?? new Dictionary<string, string>();
        var rendered = EmailTemplateCatalog.Get(request.Template).Render(values);
        if (values.TryGetValue("displayName", out var displayName) && !string.IsNullOrWhiteSpace(displayName))
        {
            recipient.Name = displayName;
        }

        var from = MailboxAddress.Parse(options.Value.From);
        var message = new MimeMessage
        {
            Subject = rendered.Subject,
            Date = time.GetUtcNow(),
            // Derived from the envelope, so a copy sent twice despite everything is recognisably the same message.
            MessageId = $"{envelopeId:N}@{from.Domain}",
            Body = new BodyBuilder { TextBody = rendered.TextBody, HtmlBody = rendered.HtmlBody }.ToMessageBody(),
        };
        message.From.Add(from);
        message.To.Add(recipient);
        message.Headers.Add(TemplateHeader, request.Template);
        return message;
    }
}
