using System.Text.Json.Nodes;

namespace Kinder.StripeFake;

/// <summary>
/// Stripe Connect's Express accounts: created restricted, an account link leads to the fake's onboarding page, and
/// visiting it completes onboarding (charges and payouts enabled, <c>account.updated</c>) as Stripe's hosted form would.
/// </summary>
public sealed partial class StripeObjects
{
    /// <summary>The fake's own address, for the onboarding links it hands out.</summary>
    public string BaseUrl { get; set; } = "";

    public JsonObject CreateAccount(StripeForm form) => Change(() =>
    {
        var account = Store(new JsonObject
        {
            ["id"] = StripeIds.New("acct"), ["object"] = "account", ["created"] = StripeIds.Now(),
            ["type"] = form["type"] ?? "express", ["email"] = form["email"], ["country"] = form["country"] ?? "DE",
            ["charges_enabled"] = false, ["payouts_enabled"] = false, ["details_submitted"] = false,
            ["metadata"] = Metadata(form),
        });
        return (account, []);
    })!;

    public JsonObject CreateAccountLink(StripeForm form) => Change(() =>
    {
        var accountId = form["account"];
        if (accountId is null || !objects.ContainsKey(accountId))
        {
            throw new StripeFakeException(StripeErrors.InvalidRequest($"No such account: '{accountId}'", "account",
                "resource_missing"));
        }
        var link = new JsonObject
        {
            ["object"] = "account_link", ["created"] = StripeIds.Now(), ["expires_at"] = StripeIds.Now() + 300,
            ["url"] = $"{BaseUrl}/connect/onboarding/{accountId}?return_url={Uri.EscapeDataString(form["return_url"] ?? "")}",
        };
        return (link, []);
    })!;

    /// <summary>The organizer finished Stripe's form: the account can take charges and receive payouts.</summary>
    public JsonObject? CompleteOnboarding(string accountId) => Change(() =>
    {
        if (!objects.TryGetValue(accountId, out var account) || (string?)account["object"] != "account")
        {
            return (null, []);
        }
        account["charges_enabled"] = true;
        account["payouts_enabled"] = true;
        account["details_submitted"] = true;
        return (account, ["account.updated"]);
    });

    /// <summary>A destination charge's transfer to the connected account (amount less the application fee).</summary>
    private string? TransferLocked(JsonObject intent, string chargeId)
    {
        if (intent["transfer_data"]?["destination"] is not { } destination)
        {
            return null;
        }
        var transfer = Store(new JsonObject
        {
            ["id"] = StripeIds.New("tr"), ["object"] = "transfer", ["created"] = StripeIds.Now(),
            ["amount"] = (long)intent["amount"]! - ((long?)intent["application_fee_amount"] ?? 0),
            ["currency"] = (string?)intent["currency"], ["destination"] = destination.DeepClone(),
            ["source_transaction"] = chargeId, ["reversed"] = false, ["amount_reversed"] = 0L,
        });
        return (string)transfer["id"]!;
    }
}
