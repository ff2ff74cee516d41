namespace Kinder.Core.Interests;

/// <summary>
/// The seeded catalog (migration <c>HasData</c>). Each group owns a block of a hundred ids so that an interest added
/// later takes the next free id of its block and no existing id moves. Never reuse or renumber an id or a slug.
/// </summary>
public static class InterestCatalog
{
    public static readonly IReadOnlyList<Interest> All =
    [
        New(101, "running", "Running", InterestGroups.Sports),
        New(102, "football", "Football", InterestGroups.Sports),
        New(103, "basketball", "Basketball", InterestGroups.Sports),
        New(104, "tennis", "Tennis & padel", InterestGroups.Sports),
        New(105, "cycling", "Cycling", InterestGroups.Sports),
        New(106, "swimming", "Swimming", InterestGroups.Sports),
        New(107, "climbing", "Climbing & bouldering", InterestGroups.Sports),

        New(201, "hiking", "Hiking", InterestGroups.Outdoors),
        New(202, "camping", "Camping", InterestGroups.Outdoors),
        New(203, "paddling", "Kayaking & paddling", InterestGroups.Outdoors),
        New(204, "birdwatching", "Birdwatching & nature walks", InterestGroups.Outdoors),
        New(205, "gardening", "Gardening", InterestGroups.Outdoors),

        New(301, "painting", "Painting & drawing", InterestGroups.Arts),
        New(302, "photography", "Photography", InterestGroups.Arts),
        New(303, "theatre", "Theatre", InterestGroups.Arts),
        New(304, "museums", "Museums & galleries", InterestGroups.Arts),
        New(305, "crafts", "Crafts & DIY", InterestGroups.Arts),
        New(306, "writing", "Creative writing", InterestGroups.Arts),
        New(307, "film", "Film & cinema", InterestGroups.Arts),

        New(401, "live_music", "Live music", InterestGroups.Music),
        New(402, "singing", "Singing & choirs", InterestGroups.Music),
        New(403, "jazz", "Jazz", InterestGroups.Music),
        New(404, "electronic_music", "Electronic music & DJing", InterestGroups.Music),
        New(405, "jam_sessions", "Jam sessions", InterestGroups.Music),

        New(501, "cooking", "Cooking", InterestGroups.FoodAndDrink),
        New(502, "wine_tasting", "Wine tasting", InterestGroups.FoodAndDrink),
        New(503, "craft_beer", "Craft beer", InterestGroups.FoodAndDrink),
        New(504, "coffee", "Coffee", InterestGroups.FoodAndDrink),
        New(505, "food_markets", "Food markets & street food", InterestGroups.FoodAndDrink),
        New(506, "baking", "Baking", InterestGroups.FoodAndDrink),

        New(601, "programming", "Programming", InterestGroups.Technology),
        New(602, "startups", "Startups", InterestGroups.Technology),
        New(603, "ai_and_data", "AI & data", InterestGroups.Technology),
        New(604, "maker", "Makers & electronics", InterestGroups.Technology),
        New(605, "design_ux", "Design & UX", InterestGroups.Technology),

        New(701, "yoga", "Yoga", InterestGroups.Wellness),
        New(702, "meditation", "Meditation & mindfulness", InterestGroups.Wellness),
        New(703, "fitness", "Gym & fitness", InterestGroups.Wellness),
        New(704, "dance", "Dance", InterestGroups.Wellness),
        New(705, "pilates", "Pilates", InterestGroups.Wellness),

        New(801, "board_games", "Board games", InterestGroups.SocialAndGames),
        New(802, "video_games", "Video games", InterestGroups.SocialAndGames),
        New(803, "trivia", "Pub quizzes & trivia", InterestGroups.SocialAndGames),
        New(804, "language_exchange", "Language exchange", InterestGroups.SocialAndGames),
        New(805, "book_club", "Book clubs", InterestGroups.SocialAndGames),
        New(806, "volunteering", "Volunteering", InterestGroups.SocialAndGames),
        New(807, "networking", "Networking", InterestGroups.SocialAndGames),
    ];

    private static Interest New(int id, string slug, string name, string group) =>
        new() { Id = id, Slug = slug, Name = name, Group = group };
}
