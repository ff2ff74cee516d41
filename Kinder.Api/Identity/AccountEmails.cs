using Kinder.Core.Data;
using Kinder.Core.Email;
using Kinder.Core.Identity;
using Kinder.Messaging;
using Kinder.Core.Outbox;

namespace Kinder.Api.Identity;

/// <summary>
/// Queues the account emails through the outbox (sent by Workers once the change commits). Emails with a link name
/// the account token; Workers mint its value when they send, so the outbox row carries no secret.
/// </summary>
public sealed class AccountEmails(KinderDbContext db)
{
    public void QueueVerification(User user, Guid accountTokenId, string template) =>
        Queue(user, template, accountTokenId);

    public void QueuePasswordReset(User user, Guid accountTokenId) =>
        Queue(user, EmailTemplates.PasswordReset, accountTokenId);

    public void QueuePasswordChanged(User user) => Queue(user, EmailTemplates.PasswordChanged, accountTokenId: null);

    private void Queue(User user, string template, Guid? accountTokenId) =>
        db.AddIntegrationEvent(Topics.Email, user.Email, new EmailRequestedIntegrationEvent(user.Email, template,
            new Dictionary<string, string> { ["displayName"] = user.DisplayName }, accountTokenId));
}
