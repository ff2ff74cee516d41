using Kinder.Api.Infrastructure;
using Kinder.Core;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Payments;

/// <summary>The answer when Stripe cannot be reached, refuses, or is not configured on this host.</summary>
public static class PaymentsUnavailable
{
    public static ProblemHttpResult Problem() => Problems.Create(StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.ServiceUnavailable, "Payments are unavailable right now; try again.");
}
