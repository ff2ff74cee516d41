using Kinder.Core.Email;
using Kinder.Messaging;

namespace Kinder.Workers.Email;

/// <summary>
/// Sends the emails requested on <see cref="Topics.Email"/>. A request that can never be sent throws
/// <see cref="InvalidEmailRequestException"/>, an SMTP failure throws MailKit's exceptions: either way the consumer
/// host retries a bounded number of times, then dead-letters the record. A record delivered again after a successful
/// send is recognised by its envelope id and not mailed twice.
/// </summary>
public sealed class EmailRequestedIntegrationEventHandler(
    EmailComposer composer,
    SmtpEmailSender sender,
    SentEmails sentEmails,
    ILogger<EmailRequestedIntegrationEventHandler> logger) : IRecordHandler<EmailRequestedIntegrationEvent>
{
    public async Task HandleAsync(EmailRequestedIntegrationEvent request, KafkaRecord source, CancellationToken cancellationToken)
    {
        var envelope = source.Envelope;
        if (await sentEmails.WasSentAsync(envelope.Id))
        {
            logger.LogInformation("Email {EnvelopeId} was already sent; not sending the redelivered record again", envelope.Id);
            return;
        }

        var message = composer.Compose(request, envelope.Id);
        await sender.SendAsync(message, cancellationToken);
        logger.LogInformation("Sent {Template} email {EnvelopeId} to {Recipient}", request.Template, envelope.Id, Mask(request.To));

        try
        {
            await sentEmails.RememberAsync(envelope.Id);
        }
        catch (Exception exception) when (exception is StackExchange.Redis.RedisException or TimeoutException)
        {
            // Throwing now would retry, and so send, a message that was delivered: a possible duplicate is the lesser harm.
            logger.LogWarning(exception, "Could not record email {EnvelopeId} as sent; a redelivery would send it again", envelope.Id);
        }
    }

    /// <summary>Enough of an address to tell recipients apart in a log, not enough to harvest it: <c>a***@example.com</c>.</summary>
    public static string Mask(string address)
    {
        var at = address.LastIndexOf('@');
        return at <= 0 ? "***" : $"{address[0]}***{address[at..]}";
    }
}
