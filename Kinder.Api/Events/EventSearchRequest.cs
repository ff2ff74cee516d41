using FluentValidation;
using Kinder.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Kinder.Api.Events;

/// <summary><c>GET /events/search</c>'s query string.</summary>
public sealed record EventSearchRequest(
    [FromQuery(Name = "q")] string? Q,
    [FromQuery(Name = "categoryId")] int? CategoryId,
    [FromQuery(Name = "from")] DateTimeOffset? From,
    [FromQuery(Name = "to")] DateTimeOffset? To,
    [FromQuery(Name = "latitude")] double? Latitude,
    [FromQuery(Name = "longitude")] double? Longitude,
    [FromQuery(Name = "radiusKm")] double? RadiusKm,
    [FromQuery(Name = "maxPriceMinor")] long? MaxPriceMinor,
    [FromQuery(Name = "free")] bool? Free,
    [FromQuery(Name = "sort")] string? Sort,
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "cursor")] string? Cursor)
{
    /// <summary>The query's text, trimmed; null when blank.</summary>
    public string? Text() => string.IsNullOrWhiteSpace(Q) ? null : Q.Trim();

    public bool HasPoint() => Latitude is not null || Longitude is not null;

    /// <summary>The sort asked for: relevance by default with text, date without; null when it is not one.</summary>
    public EventSearchSort? Order() => (Sort ?? (Text() is null ? "date" : "relevance")) switch
    {
        "relevance" => EventSearchSort.Relevance,
        "date" => EventSearchSort.Date,
        "popularity" => EventSearchSort.Popularity,
        "distance" => EventSearchSort.Distance,
        _ => null,
    };

    public EventSearchCursor? After() =>
        Cursor is not null && Order() is { } order ? EventSearchCursor.Decode(Cursor, order) : null;
}

public sealed class EventSearchRequestValidator : AbstractValidator<EventSearchRequest>
{
    private const int MaxYearsAway = 100;
    private static readonly string DateRangeMessage = $"Give a date within {MaxYearsAway} years of today.";

    private static bool InDateRange(DateTimeOffset? date) =>
        date is not { } value || Math.Abs((value - DateTimeOffset.UtcNow).TotalDays) <= MaxYearsAway * 366;

    public EventSearchRequestValidator()
    {
        RuleFor(request => request.Q)
            .Must((request, _) => request.Text() is not { } text
                || (text.Length <= EventSearchApi.MaxQueryLength && EventSearchQuery.ToPrefixQuery(text).Length > 0))
            .WithMessage($"Give up to {EventSearchApi.MaxQueryLength} characters with at least one letter or digit.");
        RuleFor(request => request.To).Must((request, to) => !(to < request.From))
            .WithMessage("The end of the date range is before its start.");
        // Far enough for any plan, near enough that the search's date windows (from + days) cannot overflow.
        RuleFor(request => request.From).Must(InDateRange).WithMessage(DateRangeMessage);
        RuleFor(request => request.To).Must(InDateRange).WithMessage(DateRangeMessage);
        When(request => request.HasPoint(), () =>
        {
            RuleFor(request => request.Latitude).Must(latitude => latitude is >= -90 and <= 90)
                .WithMessage("Give a latitude between -90 and 90 together with the longitude.");
            RuleFor(request => request.Longitude).Must(longitude => longitude is >= -180 and <= 180)
                .WithMessage("Give a longitude between -180 and 180 together with the latitude.");
        });
        RuleFor(request => request.RadiusKm)
            .Must((request, radiusKm) => radiusKm is > 0 and <= EventSearchApi.MaxRadiusKm && request.HasPoint())
            .When(request => request.RadiusKm is not null)
            .WithMessage($"Give a radius above 0 and up to {EventSearchApi.MaxRadiusKm} km, with latitude and longitude.");
        RuleFor(request => request.MaxPriceMinor).GreaterThanOrEqualTo(0)
            .WithMessage("The price is 0 or more, in minor units.");
        RuleFor(request => request.Sort).Custom((_, context) =>
        {
            var request = context.InstanceToValidate;
            var order = request.Order();
            if (order is null)
            {
                context.AddFailure("Use relevance, date, popularity or distance.");
            }
            else if (order == EventSearchSort.Relevance && request.Text() is null)
            {
                context.AddFailure("Sorting by relevance needs a query (q).");
            }
            else if (order == EventSearchSort.Distance && !request.HasPoint())
            {
                context.AddFailure("Sorting by distance needs latitude and longitude.");
            }
        });
        RuleFor(request => request.Limit).ValidPageSize();
        RuleFor(request => request.Cursor).Must((request, _) => request.After() is not null)
            .When(request => request.Cursor is not null && request.Order() is not null)
            .WithMessage("Not a cursor this search gave out.");
    }
}
