namespace Kinder.Core.Interests;

/// <summary>
/// One entry of the interest catalog users pick from and events are categorised by. Ids and slugs are stable:
/// clients and stored preferences refer to them, so an interest is never renumbered or renamed by slug.
/// </summary>
public sealed class Interest
{
    public const int MaxSlugLength = 64;
    public const int MaxNameLength = 80;

    public required int Id { get; init; }
    public required string Slug { get; init; }
    public required string Name { get; set; }

    /// <summary>The slug of the group (<see cref="InterestGroups"/>).</summary>
    public required string Group { get; init; }
}
