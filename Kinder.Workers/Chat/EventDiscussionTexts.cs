using System.Globalization;

namespace Kinder.Workers.Chat;

/// <summary>What the system messages of an event's discussion say.</summary>
internal static class EventDiscussionTexts
{
    public static string Joined(string name) => $"{name} joined";

    public static string Left(string name) => $"{name} left";

    /// <summary>"The event moved to Sat 5 Dec 18:00 UTC".</summary>
    public static string Rescheduled(DateTimeOffset startsAt) =>
        $"The event moved to {startsAt.UtcDateTime.ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture)} UTC";

    /// <summary>"The event moved to Plaça Reial 1, Barcelona".</summary>
    public static string Relocated(string? address, string? city) =>
        (address, city) switch
        {
            ({ Length: > 0 }, { Length: > 0 }) => $"The event moved to {address}, {city}",
            ({ Length: > 0 }, _) => $"The event moved to {address}",
            (_, { Length: > 0 }) => $"The event moved to {city}",
            _ => "The event moved to a new place",
        };

    public const string Cancelled = "The event was cancelled";

    /// <summary>The client message id of the system message a record causes: one message per record, however often handled.</summary>
    public static string ClientMessageIdFor(string cause, Guid envelopeId) => $"{cause}:{envelopeId:N}";
}
