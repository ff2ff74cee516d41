using Kinder.Messaging;

namespace Kinder.Core.Email;

/// <summary>
/// Asks Workers to send one email: the template's plain-text and HTML bodies filled with <paramref name="Values"/>.
/// Written to the outbox (topic <see cref="Messaging.Topics.Email"/>, key = recipient), never sent inside a request.
/// </summary>
public sealed record EmailRequestedIntegrationEvent(string To, string Template, IReadOnlyDictionary<string, string> Values) : IRecord
{
    public static string RecordType => "EmailRequested";
}

/// <summary>Template names and the values each one uses.</summary>
public static class EmailTemplates
{
    /// <summary>Welcome + verify your address. Values: <c>displayName</c>, <c>verifyUrl</c>, <c>token</c>.</summary>
    public const string WelcomeVerify = "welcome-verify";

    /// <summary>Verify your address (resend). Values: <c>displayName</c>, <c>verifyUrl</c>, <c>token</c>.</summary>
    public const string VerifyEmail = "verify-email";

    /// <summary>Reset your password. Values: <c>displayName</c>, <c>resetUrl</c>, <c>token</c>.</summary>
    public const string PasswordReset = "password-reset";

    /// <summary>Your password was changed. Values: <c>displayName</c>.</summary>
    public const string PasswordChanged = "password-changed";
}
