namespace Kinder.Core.Moderation;

/// <summary>
/// An announcement from the operators to every user or an audience (city, interests), turned into <c>broadcast</c>
/// notifications by a consumer of <see cref="BroadcastRequestedIntegrationEvent"/>, in batches of the audience read
/// with <see cref="BroadcastAudience"/>.
/// </summary>
public sealed class Broadcast
{
    public const int MaxTitleLength = 120;
    public const int MaxBodyLength = 2000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Title { get; init; }
    public required string Body { get; init; }
    public string? City { get; init; }
    public List<int> InterestIds { get; init; } = [];
    public Guid CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
