using FluentValidation;
using Kinder.Core.Payments;

namespace Kinder.Api.Payments;

/// <summary><c>POST /events/{id}/tickets</c>'s body: pay by card (Stripe) or with credits.</summary>
public sealed record TicketRequest(TicketPayment? PayWith);

public sealed class TicketRequestValidator : AbstractValidator<TicketRequest>
{
    public TicketRequestValidator() => RuleFor(request => request.PayWith).NotNull().IsInEnum();
}

/// <summary>
/// A ticket bought: with credits <c>confirmed</c> at once; by card <c>pending</c>, its place held until
/// <c>HoldExpiresAt</c> while the client confirms the PaymentIntent with <c>ClientSecret</c>.
/// </summary>
public sealed record TicketResponse(Guid TicketId, TicketStatus Status, Guid? PaymentId = null, string? ClientSecret = null,
    DateTimeOffset? HoldExpiresAt = null, long? Credits = null);
