using FluentValidation;
using Kinder.Api.Infrastructure;
using Kinder.Core.Preferences;
using Microsoft.AspNetCore.Mvc;

namespace Kinder.Api.Events;

/// <summary><c>GET /events/discover</c>'s query string.</summary>
public sealed record DiscoveryRequest(
    [FromQuery(Name = "latitude")] double? Latitude,
    [FromQuery(Name = "longitude")] double? Longitude,
    [FromQuery(Name = "radiusKm")] double? RadiusKm,
    [FromQuery(Name = "sort")] string? Sort,
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "cursor")] string? Cursor)
{
    /// <summary>The sort asked for (relevance by default); null when it is not one.</summary>
    public DiscoverySort? Order() => (Sort ?? "relevance") switch
    {
        "relevance" => DiscoverySort.Relevance,
        "date" => DiscoverySort.Date,
        "popularity" => DiscoverySort.Popularity,
        "distance" => DiscoverySort.Distance,
        _ => null,
    };
}

public sealed class DiscoveryRequestValidator : AbstractValidator<DiscoveryRequest>
{
    public DiscoveryRequestValidator()
    {
        RuleFor(request => request.Sort).Must((request, _) => request.Order() is not null)
            .WithMessage("Use relevance, date, popularity or distance.");
        RuleFor(request => request.Limit).ValidPageSize();
        RuleFor(request => request.RadiusKm)
            .Must(radiusKm => radiusKm is null or >= LocationPreference.MinRadiusKm and <= LocationPreference.MaxRadiusKm)
            .WithMessage($"The radius is between {LocationPreference.MinRadiusKm} and {LocationPreference.MaxRadiusKm} km.");
        RuleFor(request => request.Latitude).NotNull().When(request => request.Longitude is not null)
            .WithMessage("Give latitude and longitude together.");
        RuleFor(request => request.Longitude).NotNull().When(request => request.Latitude is not null)
            .WithMessage("Give latitude and longitude together.");
        RuleFor(request => request.Latitude).Must(latitude => latitude is null or >= -90 and <= 90)
            .WithMessage("The latitude is between -90 and 90.");
        RuleFor(request => request.Longitude).Must(longitude => longitude is null or >= -180 and <= 180)
            .WithMessage("The longitude is between -180 and 180.");
        RuleFor(request => request.Cursor)
            .KnownCursor(cursor => cursor is null || DiscoverySnapshots.TryDecodeCursor(cursor, out _, out _),
                "Not a cursor this feed gave out.");
    }
}
