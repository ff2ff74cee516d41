namespace Kinder.Core.Interests;

/// <summary>The groups the catalog is organised in, by stable slug, with the name a client shows.</summary>
public static class InterestGroups
{
    public const string Sports = "sports";
    public const string Outdoors = "outdoors";
    public const string Arts = "arts";
    public const string Music = "music";
    public const string FoodAndDrink = "food_and_drink";
    public const string Technology = "technology";
    public const string Wellness = "wellness";
    public const string SocialAndGames = "social_and_games";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Sports] = "Sports",
        [Outdoors] = "Outdoors",
        [Arts] = "Arts & culture",
        [Music] = "Music",
        [FoodAndDrink] = "Food & drink",
        [Technology] = "Technology",
        [Wellness] = "Wellness",
        [SocialAndGames] = "Social & games",
    };
}
