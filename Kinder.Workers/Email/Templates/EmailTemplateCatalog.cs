namespace Kinder.Workers.Email.Templates;

/// <summary>Every template by name: one per name in <see cref="Kinder.Core.Email.EmailTemplates"/>.</summary>
public static class EmailTemplateCatalog
{
    public static IReadOnlyDictionary<string, EmailTemplate> All { get; } = new EmailTemplate[]
    {
        new WelcomeVerifyTemplate(),
        new VerifyEmailTemplate(),
        new PasswordResetTemplate(),
        new PasswordChangedTemplate(),
        new NotificationTemplate(),
        new PaymentReceiptTemplate(),
        new DigestTemplate(),
    }.ToDictionary(template => template.Name, StringComparer.Ordinal);

    /// <exception cref="InvalidEmailRequestException">No template has that name.</exception>
    public static EmailTemplate Get(string name) =>
        All.TryGetValue(name, out var template)
            ? template
            : throw new InvalidEmailRequestException($"There is no email template named '{name}'.");
}
