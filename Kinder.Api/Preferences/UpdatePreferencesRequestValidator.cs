using FluentValidation;
using Kinder.Core.Data;
using Kinder.Core.Preferences;

namespace Kinder.Api.Preferences;

/// <summary>Each section given is checked whole; sections left out are not.</summary>
public sealed class UpdatePreferencesRequestValidator : AbstractValidator<UpdatePreferencesRequest>
{
    public UpdatePreferencesRequestValidator(KinderDbContext db)
    {
        RuleFor(request => request.Interests).KnownInterests(db, requireOne: false);
        RuleFor(request => request.Notifications!).ChildRules(notifications =>
        {
            notifications.RuleFor(settings => settings.Push).NotNull().WithMessage("Must be an object.");
            notifications.RuleFor(settings => settings.Email).NotNull().WithMessage("Must be an object.");
        }).When(request => request.Notifications is not null);
        RuleFor(request => request.Privacy!).ChildRules(privacy =>
            privacy.RuleFor(settings => settings.ProfileVisibility)
                .Must(visibility => PreferenceValidation.IsAllowed(visibility, PrivacySettings.Visibilities))
                .WithMessage(PreferenceValidation.AllowedValues(PrivacySettings.Visibilities)))
            .When(request => request.Privacy is not null);
        RuleFor(request => request.Location!).ChildRules(location =>
            location.RuleFor(preference => preference.RadiusKm)
                .InclusiveBetween(LocationPreference.MinRadiusKm, LocationPreference.MaxRadiusKm)
                .WithMessage($"Must be between {LocationPreference.MinRadiusKm} and {LocationPreference.MaxRadiusKm}."))
            .When(request => request.Location is not null);
        RuleFor(request => request.Reasons).KnownReasons(requireOne: false);
        RuleFor(request => request.Availability!).ChildRules(availability =>
        {
            // JSON may set either list to null explicitly.
            availability.RuleFor(days => days.Days).NotNull().WithMessage("Must be a list.")
                .OneOf(WeekendAvailability.AllDays);
            availability.RuleFor(days => days.TimeSlots).NotNull().WithMessage("Must be a list.")
                .OneOf(WeekendAvailability.AllTimeSlots);
        }).When(request => request.Availability is not null);
    }
}
