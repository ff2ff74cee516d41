using Kinder.Core;
using Kinder.Core.Email;
using Kinder.Core.Identity;
using Kinder.Messaging;
using Microsoft.Extensions.Options;

namespace Kinder.Workers.Email;

/// <summary>
/// Sends the emails requested on <see cref="Topics.Email"/>. A request that can never be sent throws
/// <see cref="InvalidEmailRequestException"/>, an SMTP failure throws MailKit's exceptions: either way the consumer
/// host retries a bounded number of times, then dead-letters the record. A record delivered again after a successful
/// send is recognised by its envelope id and not mailed twice.
/// An email with a link mints its account token here, just before sending (<see cref="AccountTokenMint"/>): the
/// request carries only the token's id. A retry, or a redelivery the sent-email memory missed, mints again and so
/// retires the value of any earlier attempt: at most one mailed link per request works, the newest.
/// </summary>
public sealed class EmailRequestedIntegrationEventHandler(
    EmailComposer composer,
    AccountTokenMint tokens,
    IOptions<AppOptions> app,
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

        if (request.AccountTokenId is { } accountTokenId)
        {
            var minted = await tokens.MintAsync(accountTokenId, cancellationToken);
            if (minted is null)
            {
                logger.LogInformation("Email {EnvelopeId} not sent: its link was used, expired or erased", envelope.Id);
                return;
            }
            var values = new Dictionary<string, string>(request.Values ?? new Dictionary<string, string>());
            foreach (var (name, value) in EmailTemplates.LinkValues(app.Value, minted))
            {
                values[name] = value;
            }
            request = request with { Values = values };
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
