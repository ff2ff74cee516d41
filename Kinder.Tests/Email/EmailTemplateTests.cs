using System.Reflection;
using Kinder.Core.Email;
using Kinder.Workers.Email;
using Kinder.Workers.Email.Templates;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Kinder.Tests.Email;

/// <summary>The email templates: one per name, every value shown, HTML-encoded in the HTML body.</summary>
public sealed class EmailTemplateTests
{
    private const string HostileName = "<script>alert('x')</script> Tom & \"Jerry\"";

    public static TheoryData<string> TemplateNames()
    {
        var names = new TheoryData<string>();
        foreach (var field in typeof(EmailTemplates).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            names.Add((string)field.GetRawConstantValue()!);
        }
        return names;
    }

    [Theory]
    [MemberData(nameof(TemplateNames))]
    public void Every_template_name_renders_a_subject_and_both_bodies_with_each_of_its_values(string name)
    {
        var template = EmailTemplateCatalog.Get(name);
        var values = template.RequiredValues.ToDictionary(value => value, value => $"{value}-{Guid.NewGuid():N}");
        foreach (var link in template.RequiredValues.Where(value => value.EndsWith("Url", StringComparison.Ordinal)))
        {
            values[link] = $"https://app.kinder.test/{link}?token={Guid.NewGuid():N}";
        }

        var email = template.Render(values);

        Assert.False(string.IsNullOrWhiteSpace(email.Subject));
        Assert.DoesNotContain('\n', email.Subject);
        foreach (var value in values.Values)
        {
            Assert.Contains(value, email.TextBody);
            Assert.Contains(value, email.HtmlBody);
        }
        Assert.StartsWith("<!DOCTYPE html>", email.HtmlBody);
    }

    [Theory]
    [MemberData(nameof(TemplateNames))]
    public void Values_are_html_encoded_in_the_html_body_and_kept_as_they_are_in_the_text_body(string name)
    {
        var template = EmailTemplateCatalog.Get(name);
        var values = template.RequiredValues.ToDictionary(value => value, _ => HostileName);
        foreach (var link in template.RequiredValues.Where(value => value.EndsWith("Url", StringComparison.Ordinal)))
        {
            values[link] = "https://app.kinder.test/go?a=1&b=\"><script>2</script>";
        }

        var email = template.Render(values);

        Assert.DoesNotContain("<script>", email.HtmlBody);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Tom &amp; &quot;Jerry&quot;", email.HtmlBody);
        Assert.Contains(HostileName, email.TextBody);
        if (values.ContainsKey("verifyUrl") || values.ContainsKey("resetUrl"))
        {
            Assert.Contains("href=\"https://app.kinder.test/go?a=1&amp;b=&quot;&gt;&lt;script&gt;2&lt;/script&gt;\"", email.HtmlBody);
        }
    }

    [Fact]
    public void A_missing_value_is_refused_by_name()
    {
        var template = EmailTemplateCatalog.Get(EmailTemplates.WelcomeVerify);

        var error = Assert.Throws<InvalidEmailRequestException>(() => template.Render(
            new Dictionary<string, string> { ["displayName"] = "Ana", ["verifyUrl"] = "https://app.kinder.test/v", ["token"] = " " }));

        Assert.Contains("token", error.Message);
    }

    [Fact]
    public void A_link_that_is_not_http_is_refused()
    {
        var template = EmailTemplateCatalog.Get(EmailTemplates.PasswordReset);

        Assert.Throws<InvalidEmailRequestException>(() => template.Render(
            new Dictionary<string, string> { ["displayName"] = "Ana", ["resetUrl"] = "javascript:alert(1)", ["token"] = "t" }));
    }

    [Fact]
    public void An_unknown_template_is_refused()
    {
        var error = Assert.Throws<InvalidEmailRequestException>(() => EmailTemplateCatalog.Get("welcome-verfy"));

        Assert.Contains("welcome-verfy", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ana")]
    [InlineData("Ana <ana@example.com>")]
    [InlineData("ana@example.com, bob@example.com")]
    public void A_request_without_exactly_one_plain_address_is_refused(string to)
    {
        var composer = new EmailComposer(Options.Create(new SmtpOptions { Host = "127.0.0.1" }), TimeProvider.System);
        var request = new EmailRequestedIntegrationEvent(to, EmailTemplates.PasswordChanged, new Dictionary<string, string> { ["displayName"] = "Ana" });

        Assert.Throws<InvalidEmailRequestException>(() => composer.Compose(request, Guid.NewGuid()));
    }

    [Fact]
    public void A_composed_email_comes_from_the_configured_sender_with_a_message_id_from_the_envelope()
    {
        var composer = new EmailComposer(Options.Create(new SmtpOptions { Host = "127.0.0.1", From = "Kinder <hello@kinder.test>" }), TimeProvider.System);
        var envelopeId = Guid.NewGuid();

        var message = composer.Compose(new EmailRequestedIntegrationEvent("ana@example.com", EmailTemplates.PasswordChanged,
            new Dictionary<string, string> { ["displayName"] = "Ana" }), envelopeId);

        var from = Assert.IsType<MailboxAddress>(Assert.Single(message.From));
        Assert.Equal(("Kinder", "hello@kinder.test"), (from.Name, from.Address));
        var to = Assert.IsType<MailboxAddress>(Assert.Single(message.To));
        Assert.Equal(("Ana", "ana@example.com"), (to.Name, to.Address));
        Assert.Equal($"{envelopeId:N}@kinder.test", message.MessageId);
        Assert.Equal(EmailTemplates.PasswordChanged, message.Headers[EmailComposer.TemplateHeader]);
    }

    [Theory]
    [InlineData("ana@example.com", "a***@example.com")]
    [InlineData("x@y.test", "x***@y.test")]
    [InlineData("not-an-address", "***")]
    public void Logged_addresses_keep_only_the_first_letter_and_the_domain(string address, string logged)
    {
        Assert.Equal(logged, EmailRequestedIntegrationEventHandler.Mask(address));
    }
}
