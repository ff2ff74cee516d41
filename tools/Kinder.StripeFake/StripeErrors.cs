using System.Text.Json.Nodes;

namespace Kinder.StripeFake;

/// <summary>Stripe's error body, <c>{ "error": { type, code, message, … } }</c>, with Stripe's status codes.</summary>
public static class StripeErrors
{
    public static IResult InvalidRequest(string message, string? param = null, string? code = null) =>
        Error(StatusCodes.Status400BadRequest, "invalid_request_error", code, message, param);

    public static IResult Missing(string kind, string id) =>
        Error(StatusCodes.Status404NotFound, "invalid_request_error", "resource_missing", $"No such {kind}: '{id}'", "id");

    public static IResult Unauthorized() =>
        Error(StatusCodes.Status401Unauthorized, "invalid_request_error", null, "Invalid API Key provided.", null);

    /// <summary>A declined card: 402 <c>card_error</c>, with the PaymentIntent as it now is.</summary>
    public static IResult CardDeclined(JsonObject paymentIntent) =>
        Results.Json(new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["type"] = "card_error",
                ["code"] = "card_declined",
                ["decline_code"] = "generic_decline",
                ["message"] = "Your card was declined.",
                ["payment_intent"] = paymentIntent.DeepClone(),
            },
        }, statusCode: StatusCodes.Status402PaymentRequired);

    private static IResult Error(int status, string type, string? code, string message, string? param) =>
        Results.Json(new JsonObject
        {
            ["error"] = new JsonObject { ["type"] = type, ["code"] = code, ["message"] = message, ["param"] = param },
        }, statusCode: status);
}
