using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using NetTopologySuite.Geometries;

namespace Kinder.Api.Events;

/// <summary><c>GET /events/{id}</c>'s optional point, to tell the distance from: latitude and longitude together.</summary>
public sealed record EventPointQuery(
    [FromQuery(Name = "latitude")] double? Latitude,
    [FromQuery(Name = "longitude")] double? Longitude)
{
    public Point? ToPoint() => Latitude is { } latitude && Longitude is { } longitude
        ? new Point(longitude, latitude) { SRID = 4326 }
        : null;
}

public sealed class EventPointQueryValidator : AbstractValidator<EventPointQuery>
{
    public EventPointQueryValidator()
    {
        When(query => query.Latitude is not null || query.Longitude is not null, () =>
        {
            RuleFor(query => query.Latitude).Must(latitude => latitude is >= -90 and <= 90)
                .WithMessage("Give a latitude between -90 and 90 together with the longitude.");
            RuleFor(query => query.Longitude).Must(longitude => longitude is >= -180 and <= 180)
                .WithMessage("Give a longitude between -180 and 180 together with the latitude.");
        });
    }
}
