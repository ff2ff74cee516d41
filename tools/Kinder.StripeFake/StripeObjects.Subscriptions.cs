using System.Text.Json.Nodes;

namespace Kinder.StripeFake;

/// <summary>
/// Subscriptions as Stripe runs them with <c>payment_behavior=default_incomplete</c>: created <c>incomplete</c> with an
/// open first invoice whose PaymentIntent the client confirms (<c>latest_invoice.confirmation_secret</c>); paying it
/// makes the subscription <c>active</c> for one interval. <see cref="AdvancePeriod"/> stands in for Stripe's test
/// clocks: it ends the current period (renewal paid or failed, or the end of a subscription set to cancel).
/// </summary>
public sealed partial class StripeObjects
{
    /// <summary>The invoice each subscription PaymentIntent pays (Stripe links them through the invoice's payments).</summary>
    private readonly Dictionary<string, string> invoiceOfIntent = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Prices { get; init; } = new StripeFakeOptions().Prices;

    public JsonObject CreateSubscription(StripeForm form) => Change(() =>
    {
        var customer = form["customer"];
        if (customer is null || !objects.ContainsKey(customer))
        {
            throw new StripeFakeException(StripeErrors.InvalidRequest($"No such customer: '{customer}'", "customer",
                "resource_missing"));
        }
        var priceId = form["items[0][price]"];
        if (priceId is null || !Prices.TryGetValue(priceId, out var priceText))
        {
            throw new StripeFakeException(StripeErrors.InvalidRequest($"No such price: '{priceId}'", "items[0][price]",
                "resource_missing"));
        }
        var parts = priceText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var price = new JsonObject
        {
            ["id"] = priceId, ["object"] = "price", ["active"] = true, ["type"] = "recurring",
            ["unit_amount"] = long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture),
            ["currency"] = parts[1], ["recurring"] = new JsonObject { ["interval"] = parts[2], ["interval_count"] = 1L },
        };
        var id = StripeIds.New("sub");
        var now = StripeIds.Now();
        var subscription = Store(new JsonObject
        {
            ["id"] = id, ["object"] = "subscription", ["created"] = now, ["livemode"] = false, ["customer"] = customer,
            ["status"] = "incomplete", ["cancel_at_period_end"] = false, ["canceled_at"] = null, ["ended_at"] = null,
            ["currency"] = parts[1], ["metadata"] = Metadata(form), ["start_date"] = now,
            ["items"] = new JsonObject
            {
                ["object"] = "list", ["has_more"] = false, ["url"] = $"/v1/subscription_items?subscription={id}",
                ["data"] = new JsonArray(new JsonObject
                {
                    ["id"] = StripeIds.New("si"), ["object"] = "subscription_item", ["created"] = now, ["price"] = price,
                    ["quantity"] = 1L, ["subscription"] = id, ["metadata"] = new JsonObject(),
                    ["current_period_start"] = now, ["current_period_end"] = PeriodEnd(now, parts[2]),
                }),
            },
        });
        RaiseLocked("customer.subscription.created", subscription);
        OpenInvoiceLocked(subscription, "subscription_create");
        // Stripe expands what was asked for; the fake always answers with the latest invoice expanded.
        var answer = (JsonObject)subscription.DeepClone();
        answer["latest_invoice"] = objects[(string)subscription["latest_invoice"]!].DeepClone();
        return (answer, []);
    })!;

    /// <summary><c>POST /v1/subscriptions/{id}</c>: <c>cancel_at_period_end</c> and metadata.</summary>
    public JsonObject? UpdateSubscription(string id, StripeForm form) => Change(() =>
    {
        if (LiveSubscription(id) is not { } subscription)
        {
            return (null, []);
        }
        if (form["cancel_at_period_end"] is not null)
        {
            subscription["cancel_at_period_end"] = form.Flag("cancel_at_period_end");
            subscription["canceled_at"] = form.Flag("cancel_at_period_end") ? StripeIds.Now() : null;
        }
        foreach (var (key, value) in form.Hash("metadata"))
        {
            ((JsonObject)subscription["metadata"]!)[key] = value;
        }
        return (subscription, ["customer.subscription.updated"]);
    });

    /// <summary><c>DELETE /v1/subscriptions/{id}</c>: cancels at once.</summary>
    public JsonObject? CancelSubscription(string id) => Change(() =>
        LiveSubscription(id) is { } subscription ? (EndLocked(subscription), []) : (null, []));

    /// <summary>
    /// Ends the current period, as time passing would: a subscription set to cancel ends (<c>deleted</c>); a
    /// <c>past_due</c> one whose retry fails too ends (Stripe's "cancel after all retries fail"); otherwise it renews with
    /// a new invoice charged to the card, paid (<paramref name="paid"/>) or failed (<c>past_due</c>).
    /// </summary>
    public JsonObject? AdvancePeriod(string id, bool paid) => Change(() =>
    {
        if (LiveSubscription(id) is not { } subscription)
        {
            return (null, []);
        }
        if ((bool?)subscription["cancel_at_period_end"] == true || ((string?)subscription["status"] == "past_due" && !paid))
        {
            return (EndLocked(subscription), []);
        }
        var item = (JsonObject)subscription["items"]!["data"]![0]!;
        var start = (long)item["current_period_end"]!;
        item["current_period_start"] = start;
        item["current_period_end"] = PeriodEnd(start, (string)item["price"]!["recurring"]!["interval"]!);
        var invoice = OpenInvoiceLocked(subscription, "subscription_cycle");
        var intentId = (string)invoice["payments"]!["data"]![0]!["payment"]!["payment_intent"]!;
        ConfirmLocked(objects[intentId], paid ? CardVisa : CardDeclined);
        return (subscription, []);
    });

    /// <summary>An invoice for the subscription's current period with the PaymentIntent that pays it.</summary>
    private JsonObject OpenInvoiceLocked(JsonObject subscription, string billingReason)
    {
        var item = (JsonObject)subscription["items"]!["data"]![0]!;
        var amount = (long)item["price"]!["unit_amount"]!;
        var currency = (string)item["price"]!["currency"]!;
        var invoiceId = StripeIds.New("in");
        var intent = Store(NewIntent(amount, currency, (string?)subscription["customer"], "Subscription creation",
            new JsonObject(), null, null, null));
        invoiceOfIntent[(string)intent["id"]!] = invoiceId;
        var invoice = Store(new JsonObject
        {
            ["id"] = invoiceId, ["object"] = "invoice", ["created"] = StripeIds.Now(), ["livemode"] = false,
            ["customer"] = (string?)subscription["customer"], ["status"] = "open", ["billing_reason"] = billingReason,
            ["currency"] = currency, ["amount_due"] = amount, ["amount_paid"] = 0L, ["amount_remaining"] = amount,
            ["total"] = amount, ["subtotal"] = amount, ["attempt_count"] = 0L, ["attempted"] = false,
            ["period_start"] = (long)item["current_period_start"]!, ["period_end"] = (long)item["current_period_end"]!,
            ["hosted_invoice_url"] = $"https://invoice.stripe.com/i/fake/{invoiceId}",
            ["confirmation_secret"] = new JsonObject { ["type"] = "payment_intent", ["client_secret"] = intent["client_secret"]!.DeepClone() },
            ["parent"] = new JsonObject
            {
                ["type"] = "subscription_details",
                ["subscription_details"] = new JsonObject
                {
                    ["subscription"] = (string)subscription["id"]!, ["metadata"] = subscription["metadata"]!.DeepClone(),
                },
            },
            ["payments"] = new JsonObject
            {
                ["object"] = "list", ["has_more"] = false, ["url"] = $"/v1/invoice_payments?invoice={invoiceId}",
                ["data"] = new JsonArray(new JsonObject
                {
                    ["id"] = StripeIds.New("inpay"), ["object"] = "invoice_payment", ["invoice"] = invoiceId,
                    ["is_default"] = true, ["status"] = "open", ["amount_requested"] = amount, ["currency"] = currency,
                    ["payment"] = new JsonObject { ["type"] = "payment_intent", ["payment_intent"] = (string)intent["id"]! },
                }),
            },
            ["metadata"] = new JsonObject(),
        });
        subscription["latest_invoice"] = invoiceId;
        RaiseLocked("invoice.created", invoice);
        RaiseLocked("invoice.finalized", invoice);
        return invoice;
    }

    /// <summary>The invoice an intent paid (or failed to): <c>invoice.paid</c> makes its subscription active.</summary>
    private void InvoiceSettledLocked(JsonObject intent, bool paid)
    {
        if (!invoiceOfIntent.TryGetValue((string)intent["id"]!, out var invoiceId) || !objects.TryGetValue(invoiceId, out var invoice))
        {
            return;
        }
        var subscription = objects[(string)invoice["parent"]!["subscription_details"]!["subscription"]!];
        invoice["attempt_count"] = (long)invoice["attempt_count"]! + 1;
        invoice["attempted"] = true;
        if (paid)
        {
            invoice["status"] = "paid";
            invoice["amount_paid"] = (long)invoice["amount_due"]!;
            invoice["amount_remaining"] = 0L;
            invoice["payments"]!["data"]![0]!["status"] = "paid";
            RaiseLocked("invoice.paid", invoice);
            RaiseLocked("invoice.payment_succeeded", invoice);
            if ((string?)subscription["status"] is "incomplete" or "past_due")
            {
                subscription["status"] = "active";
            }
        }
        else
        {
            RaiseLocked("invoice.payment_failed", invoice);
            if ((string?)subscription["status"] == "active")
            {
                subscription["status"] = "past_due"; // a failed renewal; a failed first invoice stays incomplete
            }
        }
        RaiseLocked("customer.subscription.updated", subscription);
    }

    private JsonObject EndLocked(JsonObject subscription)
    {
        var now = StripeIds.Now();
        subscription["status"] = "canceled";
        subscription["ended_at"] = now;
        subscription["canceled_at"] ??= now;
        RaiseLocked("customer.subscription.deleted", subscription);
        return subscription;
    }

    private JsonObject? LiveSubscription(string id)
    {
        if (!objects.TryGetValue(id, out var subscription) || (string?)subscription["object"] != "subscription")
        {
            return null;
        }
        if ((string?)subscription["status"] is "canceled" or "incomplete_expired")
        {
            throw new StripeFakeException(StripeErrors.InvalidRequest(
                $"A canceled subscription can only update its cancellation_details and metadata.", code: "resource_missing"));
        }
        return subscription;
    }

    private static long PeriodEnd(long start, string interval)
    {
        var from = DateTimeOffset.FromUnixTimeSeconds(start);
        return (interval == "year" ? from.AddYears(1) : from.AddMonths(1)).ToUnixTimeSeconds();
    }
}
