using Kinder.Core.Identity;
using Kinder.Messaging;

namespace Kinder.Core.Email;

/// <summary>
/// Asks Workers to send one email: the template's plain-text and HTML bodies filled with <paramref name="Values"/>.
/// Written to the outbox (topic <see cref="Messaging.Topics.Email"/>, key = recipient), never sent inside a request.
/// An email with a link names its <see cref="AccountToken"/> (<paramref name="AccountTokenId"/>) instead of carrying
/// the token: Workers mint the value when they send (<see cref="AccountTokenMint"/>) and add the link values
/// (<see cref="EmailTemplates.LinkValues"/>), so no usable secret sits in the outbox or on Kafka.
/// </summary>
public sealed record EmailRequestedIntegrationEvent(string To, string Template, IReadOnlyDictionary<string, string> Values,
    Guid? AccountTokenId = null) : IRecord
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

    /// <summary>A notification the user chose email for. Values: <c>displayName</c>, <c>title</c>, <c>body</c>.</summary>
    public const string Notification = "notification";

    /// <summary>
    /// The daily or weekly digest of unread notifications. Values: <c>displayName</c>, <c>period</c> (daily, weekly),
    /// <c>count</c>, <c>items</c> (one notification per line).
    /// </summary>
    public const string Digest = "digest";

    /// <summary>A successful card payment's receipt. Values: <c>displayName</c>, <c>description</c>, <c>amount</c>, <c>receiptUrl</c>.</summary>
    public const string PaymentReceipt = "payment-receipt";

    /// <summary>The values a minted account token adds to its email: the token and the web app's link carrying it.</summary>
    public static IReadOnlyDictionary<string, string> LinkValues(AppOptions app, MintedAccountToken token) =>
        token.Purpose == AccountTokenPurpose.PasswordReset
            ? new Dictionary<string, string> { ["resetUrl"] = app.Link("reset-password", token.Value), ["token"] = token.Value }
            : new Dictionary<string, string> { ["verifyUrl"] = app.Link("verify-email", token.Value), ["token"] = token.Value };
}
