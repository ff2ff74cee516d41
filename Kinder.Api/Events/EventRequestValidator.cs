using System.Text.RegularExpressions;
using FluentValidation;
using Kinder.Core.Validation;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Events;

/// <summary>
/// An event as created or replaced. The validation filter runs it for <c>POST /events</c>; <see cref="UpdateEvent"/>
/// runs it under the event's lock with the event being replaced in <see cref="ReplacedEvent"/>, because two rules depend
/// on it: an unchanged start may lie in the past (an event under way can still be edited), and the capacity cannot drop
/// below the number going.
/// </summary>
public sealed partial class EventRequestValidator : AbstractValidator<EventRequest>
{
    /// <summary>The <see cref="ValidationContext{T}.RootContextData"/> key of the <see cref="Event"/> being replaced.</summary>
    public const string ReplacedEvent = nameof(ReplacedEvent);

    public EventRequestValidator(KinderDbContext db, TimeProvider time, IHttpContextAccessor http)
    {
        RuleFor(request => request.Title).Cascade(CascadeMode.Stop)
            .NotEmpty()
            .Length(Event.MinTitleLength, Event.MaxTitleLength)
            .PlainName()
            .Must(title => title!.Trim().Length >= Event.MinTitleLength)
            .WithMessage($"The title needs at least {Event.MinTitleLength} characters.");
        RuleFor(request => request.Description).MaximumLength(Event.MaxDescriptionLength);
        RuleFor(request => request.StartsAt).NotNull();
        RuleFor(request => request.EndsAt).NotNull();
        RuleFor(request => request.Location).NotNull();
        RuleFor(request => request.Location!).SetValidator(new EventLocationRequestValidator())
            .When(request => request.Location is not null);
        RuleFor(request => request.CategoryId).Cascade(CascadeMode.Stop)
            .NotNull()
            .MustAsync((categoryId, cancellationToken) => db.Interests.AnyAsync(i => i.Id == categoryId, cancellationToken))
            .WithMessage("There is no such category.");
        RuleFor(request => request.Capacity).InclusiveBetween(1, int.MaxValue);
        RuleFor(request => request.PriceMinor).InclusiveBetween(0, Event.MaxPriceMinor);
        RuleFor(request => request.ImageKeys).MaxItems(Event.MaxImages)
            .WithMessage($"An event has at most {Event.MaxImages} images.");

        RuleFor(request => request.StartsAt).Custom((startsAt, context) =>
        {
            var replaced = Replaced(context);
            if (startsAt <= time.GetUtcNow() && (replaced is null || replaced.StartsAt != startsAt))
            {
                context.AddFailure("The event must start in the future.");
            }
            else if (startsAt > time.GetUtcNow() + Event.MaxStartAhead && (replaced is null || replaced.StartsAt != startsAt))
            {
                context.AddFailure($"The event must start within {Event.MaxStartAhead.TotalDays / 365:0} years.");
            }
        }).When(request => request.StartsAt is not null);
        RuleFor(request => request.EndsAt).Custom((endsAt, context) =>
        {
            var startsAt = context.InstanceToValidate.StartsAt!.Value;
            if (endsAt <= startsAt)
            {
                context.AddFailure("The event must end after it starts.");
            }
            else if (endsAt - startsAt > Event.MaxDuration)
            {
                context.AddFailure($"An event may last at most {Event.MaxDuration.TotalDays:0} days.");
            }
        }).When(request => request.StartsAt is not null && request.EndsAt is not null);
        RuleFor(request => request.Currency).Cascade(CascadeMode.Stop)
            .MaximumLength(3).WithMessage("The currency must be a three-letter ISO 4217 code.")
            .Custom((currency, context) =>
        {
            if (currency is not null && !CurrencyCode().IsMatch(currency))
            {
                context.AddFailure("The currency must be a three-letter ISO 4217 code.");
            }
            else if (context.InstanceToValidate.PriceMinor > 0 && string.IsNullOrEmpty(currency))
            {
                context.AddFailure("A priced event needs its currency.");
            }
        });
        RuleFor(request => request.ImageKeys).CustomAsync(async (keys, context, cancellationToken) =>
        {
            var userId = http.HttpContext!.User.GetUserId();
            var usable = await db.UsableImageKeysAsync(userId, keys, cancellationToken);
            for (var index = 0; index < keys!.Count; index++)
            {
                if (string.IsNullOrWhiteSpace(keys[index]) || keys[index].Length > Event.MaxImageKeyLength)
                {
                    context.AddFailure($"imageKeys[{index}]", "Not a valid image key.");
                }
                else if (!usable.Contains(keys[index].Trim()))
                {
                    context.AddFailure($"imageKeys[{index}]", "Not a completed event_image upload of yours.");
                }
            }
        }).When(request => request.ImageKeys is { Count: > 0 and <= Event.MaxImages });
        RuleFor(request => request.Capacity).Custom((capacity, context) =>
        {
            if (Replaced(context) is { } replaced && capacity < replaced.GoingCount)
            {
                context.AddFailure($"{replaced.GoingCount} people are going already; the capacity cannot be lower.");
            }
        }).When(request => request.Capacity is not null);
    }

    private static Event? Replaced(ValidationContext<EventRequest> context) =>
        context.RootContextData.TryGetValue(ReplacedEvent, out var replaced) ? (Event)replaced : null;

    [GeneratedRegex("^[A-Za-z]{3}$")]
    private static partial Regex CurrencyCode();
}

public sealed class EventLocationRequestValidator : AbstractValidator<EventLocationRequest>
{
    public EventLocationRequestValidator()
    {
        RuleFor(location => location.Latitude).NotNull().InclusiveBetween(-90.0, 90.0);
        RuleFor(location => location.Longitude).NotNull().InclusiveBetween(-180.0, 180.0);
        RuleFor(location => location.Address).MaximumLength(Event.MaxAddressLength);
        RuleFor(location => location.City).MaximumLength(Event.MaxCityLength);
    }
}

public sealed class AttendanceRequestValidator : AbstractValidator<AttendanceRequest>
{
    public AttendanceRequestValidator()
    {
        RuleFor(request => request.Status).NotNull()
            .NotEqual(AttendanceStatus.Waitlisted)
            .WithMessage("Answer interested, going or not_going; a full event waitlists going by itself.");
    }
}
