using Kinder.Core;
using Kinder.Core.Data;
using Kinder.Core.Email;
using Kinder.Core.Identity;
using Kinder.Messaging;
using Kinder.Core.Outbox;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Identity;

/// <summary>Queues the account emails through the outbox (sent by Workers once the change commits).</summary>
public sealed class AccountEmails(KinderDbContext db, IOptions<AppOptions> app)
{
    public void QueueVerification(User user, string token, string template) =>
        Queue(user, template, new Dictionary<string, string>
        {
            ["displayName"] = user.DisplayName,
            ["verifyUrl"] = app.Value.Link("verify-email", token),
            ["token"] = token,
        });

    public void QueuePasswordReset(User user, string token) =>
        Queue(user, EmailTemplates.PasswordReset, new Dictionary<string, string>
        {
            ["displayName"] = user.DisplayName,
            ["resetUrl"] = app.Value.Link("reset-password", token),
            ["token"] = token,
        });

    public void QueuePasswordChanged(User user) =>
        Queue(user, EmailTemplates.PasswordChanged, new Dictionary<string, string> { ["displayName"] = user.DisplayName });

    private void Queue(User user, string template, Dictionary<string, string> values) =>
        db.AddIntegrationEvent(Topics.Email, user.Email, new EmailRequestedIntegrationEvent(user.Email, template, values));
}
