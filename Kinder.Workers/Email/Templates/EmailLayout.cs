namespace Kinder.Workers.Email.Templates;

/// <summary>What every Kinder email shares: the HTML frame with its header and footer, the button, the sign-off.</summary>
/// <remarks>Inline styles and a single table: what mail clients render consistently.</remarks>
internal static class EmailLayout
{
    public const string SignOff = "See you out there,\nThe Kinder team";

    private const string Footer =
        "You received this email because of your Kinder account. Kinder — find your people, nearby.";

    /// <param name="title">Already HTML-safe.</param>
    /// <param name="body">Already HTML-safe paragraphs.</param>
    public static string Html(string title, string body) =>
        $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}</title>
        </head>
        <body style="margin:0;padding:0;background:#f6f4fb;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#2b2540;">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f6f4fb;padding:24px 0;">
        <tr><td align="center">
        <table role="presentation" width="560" cellpadding="0" cellspacing="0" style="max-width:560px;width:100%;background:#ffffff;border-radius:12px;padding:32px;">
        <tr><td style="font-size:22px;font-weight:700;color:#6c4bd8;padding-bottom:16px;">Kinder</td></tr>
        <tr><td style="font-size:16px;line-height:1.5;">
        {{body}}
        <p style="margin:24px 0 0;">See you out there,<br>The Kinder team</p>
        </td></tr>
        </table>
        <p style="font-size:12px;color:#8a84a0;max-width:560px;margin:16px auto 0;">{{Footer}}</p>
        </td></tr>
        </table>
        </body>
        </html>
        """;

    /// <param name="href">Already HTML-encoded.</param>
    public static string Button(string href, string label) =>
        $"""<p style="margin:24px 0;"><a href="{href}" style="display:inline-block;background:#6c4bd8;color:#ffffff;text-decoration:none;font-weight:600;padding:12px 24px;border-radius:8px;">{label}</a></p>""";

    /// <summary>The link again as text, for clients that block buttons.</summary>
    /// <param name="href">Already HTML-encoded.</param>
    public static string LinkFallback(string href) =>
        $"""<p style="font-size:13px;color:#6b6580;">If the button does not work, copy this link into your browser:<br><a href="{href}" style="color:#6c4bd8;word-break:break-all;">{href}</a></p>""";

    /// <param name="code">Already HTML-encoded.</param>
    public static string Code(string code) =>
        $"""<p style="font-size:13px;color:#6b6580;">Or enter this code in the app:<br><code style="font-size:14px;color:#2b2540;word-break:break-all;">{code}</code></p>""";

    public static string Text(string body) => body.TrimEnd() + "\n\n" + SignOff + "\n\n--\n" + Footer + "\n";
}
