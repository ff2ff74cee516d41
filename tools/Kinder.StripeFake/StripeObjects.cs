using System.Text.Json.Nodes;

namespace Kinder.StripeFake;

/// <summary>
/// Everything the fake holds, in memory: customers, PaymentIntents, charges, refunds and the events their changes made.
/// One lock keeps each change and the event it raises together; test-mode card numbers decide the outcome.
/// </summary>
public sealed partial class StripeObjects
{
    /// <summary>The test payment methods Stripe documents: this one succeeds…</summary>
    public const string CardVisa = "pm_card_visa";

    /// <summary>…and this one is declined (<c>card_declined</c>, <c>generic_decline</c>).</summary>
    public const string CardDeclined = "pm_card_chargeDeclined";

    private readonly Lock gate = new();
    private readonly Dictionary<string, JsonObject> objects = new(StringComparer.Ordinal);
    private readonly List<JsonObject> events = [];
    private readonly Dictionary<string, (int Status, JsonObject Body)> idempotent = new(StringComparer.Ordinal);

    /// <summary>Raised, outside the lock, for every event made.</summary>
    public event Action<JsonObject>? EventCreated;

    public string ApiVersion { get; init; } = new StripeFakeOptions().ApiVersion;

    public IReadOnlyList<JsonObject> Events
    {
        get
        {
            lock (gate)
            {
                return events.Select(e => (JsonObject)e.DeepClone()).ToList();
            }
        }
    }

    public JsonObject? Find(string id)
    {
        lock (gate)
        {
            return objects.TryGetValue(id, out var found) ? (JsonObject)found.DeepClone() : null;
        }
    }

    /// <summary>Stripe answers a repeated <c>Idempotency-Key</c> with the first response, whatever else is sent.</summary>
    public (int Status, JsonObject Body) Idempotent(string? key, Func<(int Status, JsonObject Body)> action)
    {
        if (key is null)
        {
            return action();
        }
        lock (gate)
        {
            if (idempotent.TryGetValue(key, out var earlier))
            {
                return (earlier.Status, (JsonObject)earlier.Body.DeepClone());
            }
            var result = action();
            idempotent[key] = (result.Status, (JsonObject)result.Body.DeepClone());
            return result;
        }
    }

    public JsonObject CreateCustomer(StripeForm form) => Change(() =>
    {
        var customer = new JsonObject
        {
            ["id"] = StripeIds.New("cus"), ["object"] = "customer", ["created"] = StripeIds.Now(), ["livemode"] = false,
            ["email"] = form["email"], ["name"] = form["name"], ["metadata"] = Metadata(form),
        };
        return (Store(customer), ["customer.created"]);
    })!;

    public JsonObject CreatePaymentIntent(StripeForm form) => Change(() =>
    {
        var intent = Store(NewIntent(form.Long("amount"), form["currency"], form["customer"], form["description"],
            Metadata(form), form["payment_method"], form.Long("application_fee_amount"), form["transfer_data[destination]"]));
        return (intent, ["payment_intent.created"]);
    })!;

    private static JsonObject NewIntent(long? amount, string? currency, string? customer, string? description,
        JsonObject metadata, string? paymentMethod, long? applicationFee, string? destination)
    {
        var id = StripeIds.New("pi");
        return new JsonObject
        {
            ["id"] = id, ["object"] = "payment_intent", ["created"] = StripeIds.Now(), ["livemode"] = false,
            ["amount"] = amount, ["amount_received"] = 0L, ["currency"] = currency?.ToLowerInvariant(),
            ["customer"] = customer, ["description"] = description, ["metadata"] = metadata,
            ["status"] = paymentMethod is null ? "requires_payment_method" : "requires_confirmation",
            ["client_secret"] = $"{id}_secret_{StripeIds.New("s")[2..]}",
            ["capture_method"] = "automatic", ["confirmation_method"] = "automatic",
            ["payment_method_types"] = new JsonArray("card"), ["payment_method"] = paymentMethod,
            ["application_fee_amount"] = applicationFee,
            ["transfer_data"] = destination is null ? null : new JsonObject { ["destination"] = destination },
            ["latest_charge"] = null, ["last_payment_error"] = null,
        };
    }

    /// <summary>
    /// Confirms with the payment method given (or the one set at creation): <see cref="CardVisa"/> succeeds with a
    /// charge, <see cref="CardDeclined"/> fails and the intent asks for another method. Null when there is no such intent.
    /// </summary>
    public (JsonObject Intent, bool Declined)? Confirm(string id, StripeForm form)
    {
        bool declined = false;
        var intent = Change(() =>
        {
            if (!objects.TryGetValue(id, out var intent) || (string?)intent["object"] != "payment_intent")
            {
                return (null, []);
            }
            declined = ConfirmLocked(intent, form["payment_method"] ?? (string?)intent["payment_method"]);
            return (intent, []);
        });
        return intent is null ? null : (intent, declined);
    }

    /// <summary>Cancels an intent that has not succeeded: <c>payment_intent.canceled</c>; it can no longer be confirmed.</summary>
    public JsonObject? CancelPaymentIntent(string id) => Change(() =>
    {
        if (!objects.TryGetValue(id, out var intent) || (string?)intent["object"] != "payment_intent")
        {
            return (null, []);
        }
        if ((string?)intent["status"] is "succeeded" or "canceled")
        {
            throw new StripeFakeException(StripeErrors.InvalidRequest(
                $"You cannot cancel this PaymentIntent because it has a status of {(string?)intent["status"]}.",
                code: "payment_intent_unexpected_state"));
        }
        intent["status"] = "canceled";
        intent["canceled_at"] = StripeIds.Now();
        intent["cancellation_reason"] = "requested_by_customer";
        return (intent, ["payment_intent.canceled"]);
    });

    /// <summary>Confirms an intent under the lock, raising its events (and its invoice's); true when declined.</summary>
    private bool ConfirmLocked(JsonObject intent, string? method)
    {
        var id = (string)intent["id"]!;
        if ((string?)intent["status"] is "succeeded" or "canceled")
        {
            throw new StripeFakeException(StripeErrors.InvalidRequest(
                $"This PaymentIntent's status is {(string?)intent["status"]}; it cannot be confirmed.",
                code: "payment_intent_unexpected_state"));
        }
        intent["payment_method"] = method;
        if (method == CardVisa)
        {
            var charge = Store(new JsonObject
            {
                ["id"] = StripeIds.New("ch"), ["object"] = "charge", ["created"] = StripeIds.Now(), ["livemode"] = false,
                ["amount"] = (long?)intent["amount"], ["amount_captured"] = (long?)intent["amount"], ["amount_refunded"] = 0L,
                ["currency"] = (string?)intent["currency"], ["customer"] = (string?)intent["customer"],
                ["payment_intent"] = id, ["paid"] = true, ["captured"] = true, ["refunded"] = false, ["status"] = "succeeded",
                ["metadata"] = intent["metadata"]?.DeepClone(), ["transfer_data"] = intent["transfer_data"]?.DeepClone(),
                ["application_fee_amount"] = (long?)intent["application_fee_amount"],
                ["receipt_url"] = $"https://pay.stripe.com/receipts/fake/{id}",
            });
            intent["status"] = "succeeded";
            intent["amount_received"] = (long?)intent["amount"];
            intent["latest_charge"] = (string?)charge["id"];
            intent["last_payment_error"] = null;
            charge["transfer"] = TransferLocked(intent, (string)charge["id"]!);
            RaiseLocked("charge.succeeded", charge);
            RaiseLocked("payment_intent.succeeded", intent);
            InvoiceSettledLocked(intent, paid: true);
            return false;
        }
        if (method == CardDeclined)
        {
            intent["status"] = "requires_payment_method";
            intent["last_payment_error"] = new JsonObject
            {
                ["type"] = "card_error", ["code"] = "card_declined", ["decline_code"] = "generic_decline",
                ["message"] = "Your card was declined.",
            };
            RaiseLocked("payment_intent.payment_failed", intent);
            InvoiceSettledLocked(intent, paid: false);
            return true;
        }
        throw new StripeFakeException(StripeErrors.InvalidRequest(
            $"No such PaymentMethod: '{method}'; the fake knows {CardVisa} and {CardDeclined}.", "payment_method",
            "resource_missing"));
    }

    /// <summary>Refunds a succeeded intent's charge (all of it unless an amount is given): <c>charge.refunded</c>.</summary>
    public JsonObject Refund(StripeForm form) => Change(() =>
    {
        var chargeId = form["charge"];
        if (chargeId is null && form["payment_intent"] is { } intentId)
        {
            chargeId = objects.TryGetValue(intentId, out var intent) ? (string?)intent["latest_charge"] : null;
        }
        if (chargeId is null || !objects.TryGetValue(chargeId, out var charge))
        {
            throw new StripeFakeException(StripeErrors.InvalidRequest(
                "This PaymentIntent does not have a successful charge to refund.", "payment_intent", "charge_not_refundable"));
        }
        var left = (long)charge["amount"]! - (long)charge["amount_refunded"]!;
        var amount = form.Long("amount") ?? left;
        if (amount <= 0 || amount > left)
        {
            throw new StripeFakeException(StripeErrors.InvalidRequest(
                $"Refund amount ({amount}) is greater than the unrefunded amount ({left}).", "amount", "charge_already_refunded"));
        }
        charge["amount_refunded"] = (long)charge["amount_refunded"]! + amount;
        charge["refunded"] = (long)charge["amount_refunded"]! == (long)charge["amount"]!;
        var refund = Store(new JsonObject
        {
            ["id"] = StripeIds.New("re"), ["object"] = "refund", ["created"] = StripeIds.Now(), ["amount"] = amount,
            ["currency"] = (string?)charge["currency"], ["charge"] = chargeId, ["payment_intent"] = (string?)charge["payment_intent"],
            ["status"] = "succeeded", ["reason"] = form["reason"], ["metadata"] = Metadata(form),
        });
        // A destination charge's refund may take the connected account's share back and return the platform's fee.
        if (form.Flag("reverse_transfer") && (string?)charge["transfer"] is { } transferId && objects.TryGetValue(transferId, out var transfer))
        {
            var reversal = Math.Min(amount, (long)transfer["amount"]! - (long)transfer["amount_reversed"]!);
            transfer["amount_reversed"] = (long)transfer["amount_reversed"]! + reversal;
            transfer["reversed"] = (long)transfer["amount_reversed"]! == (long)transfer["amount"]!;
            refund["transfer_reversal"] = StripeIds.New("trr");
        }
        if (form.Flag("refund_application_fee"))
        {
            charge["application_fee_refunded"] = true;
        }
        // The event is about the charge, as Stripe's charge.refunded is.
        RaiseLocked("charge.refunded", charge);
        return (refund, []);
    })!;

    private JsonObject Store(JsonObject stripeObject)
    {
        objects[(string)stripeObject["id"]!] = stripeObject;
        return stripeObject;
    }

    private static JsonObject Metadata(StripeForm form) =>
        new(form.Hash("metadata").Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)JsonValue.Create(pair.Value))));

    private readonly List<JsonObject> raised = [];

    /// <summary>Runs a change under the lock, records its events, then tells listeners (outside the lock).</summary>
    private JsonObject? Change(Func<(JsonObject? Result, string[] EventTypes)> change)
    {
        JsonObject? result;
        List<JsonObject> made;
        lock (gate)
        {
            (result, var types) = change();
            foreach (var type in types)
            {
                RaiseLocked(type, result!);
            }
            made = [.. raised];
            raised.Clear();
            result = (JsonObject?)result?.DeepClone();
        }
        foreach (var stripeEvent in made)
        {
            EventCreated?.Invoke(stripeEvent);
        }
        return result;
    }

    private void RaiseLocked(string type, JsonObject about)
    {
        var stripeEvent = new JsonObject
        {
            ["id"] = StripeIds.New("evt"), ["object"] = "event", ["api_version"] = ApiVersion, ["created"] = StripeIds.Now(),
            ["livemode"] = false, ["pending_webhooks"] = 1, ["type"] = type,
            ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
            ["data"] = new JsonObject { ["object"] = about.DeepClone() },
        };
        events.Add(stripeEvent);
        raised.Add((JsonObject)stripeEvent.DeepClone());
    }
}

/// <summary>A refusal with Stripe's error body, thrown from inside a change and answered as is.</summary>
public sealed class StripeFakeException(IResult response) : Exception("Stripe error")
{
    public IResult Response { get; } = response;
}
