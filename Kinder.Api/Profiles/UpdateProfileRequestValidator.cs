using FluentValidation;
using Kinder.Core.Validation;
using Kinder.Core.Identity;

namespace Kinder.Api.Profiles;

public sealed class UpdateProfileRequestValidator : AbstractValidator<UpdateProfileRequest>
{
    public UpdateProfileRequestValidator(TimeProvider time)
    {
        RuleFor(request => request.DisplayName).NotEmpty().MaximumLength(UserEntityTypeConfiguration.MaxDisplayNameLength)
            .PlainName();
        RuleFor(request => request.Bio).MaximumLength(UserEntityTypeConfiguration.MaxBioLength);
        RuleFor(request => request.BirthDate).Custom((birthDate, context) =>
        {
            if (birthDate is null)
                return;
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            if (birthDate >= today)
                context.AddFailure("The birth date must be in the past.");
            else if (birthDate > today.AddYears(-ProfileRules.MinimumAge))
                context.AddFailure($"Kinder is for people aged {ProfileRules.MinimumAge} or over.");
            else if (birthDate < today.AddYears(-ProfileRules.MaximumAge))
                context.AddFailure("The birth date is too far in the past.");
        });
        RuleFor(request => request.Location!).SetValidator(new LocationRequestValidator()).When(request => request.Location is not null);
    }
}

public sealed class LocationRequestValidator : AbstractValidator<LocationRequest>
{
    public LocationRequestValidator()
    {
        RuleFor(location => location.Latitude).NotNull().InclusiveBetween(-90.0, 90.0);
        RuleFor(location => location.Longitude).NotNull().InclusiveBetween(-180.0, 180.0);
        RuleFor(location => location.City).MaximumLength(ProfileRules.MaxCityLength);
    }
}
