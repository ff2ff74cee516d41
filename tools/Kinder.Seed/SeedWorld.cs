namespace Kinder.Seed;

/// <summary>A city the data is spread around: its centre, how much of the data it gets, its places and currency.</summary>
public sealed record SeedCity(string Name, double Latitude, double Longitude, double Share, string Currency,
    string[] Areas, string[] Streets);

/// <summary>The fixed vocabulary the generator draws from: cities, names, words per category.</summary>
public static class SeedWorld
{
    public static readonly SeedCity[] Cities =
    [
        new("London", 51.5074, -0.1278, 0.30, "GBP",
            ["Shoreditch", "Camden", "Brixton", "Hackney", "Southbank", "Notting Hill", "Greenwich", "Islington"],
            ["Old Street", "High Street", "Church Road", "Station Road", "Victoria Road", "Mare Street", "Kingsland Road"]),
        new("Berlin", 52.5200, 13.4050, 0.25, "EUR",
            ["Kreuzberg", "Mitte", "Neukölln", "Prenzlauer Berg", "Friedrichshain", "Charlottenburg", "Wedding"],
            ["Oranienstraße", "Torstraße", "Kastanienallee", "Sonnenallee", "Warschauer Straße", "Kantstraße"]),
        new("Paris", 48.8566, 2.3522, 0.20, "EUR",
            ["Le Marais", "Montmartre", "Belleville", "Bastille", "Saint-Germain", "Canal Saint-Martin", "Batignolles"],
            ["Rue Oberkampf", "Rue de Rivoli", "Rue des Martyrs", "Boulevard Voltaire", "Rue de Belleville"]),
        new("Madrid", 40.4168, -3.7038, 0.15, "EUR",
            ["Malasaña", "Lavapiés", "Chueca", "La Latina", "Salamanca", "Chamberí", "Retiro"],
            ["Calle de Fuencarral", "Gran Vía", "Calle de Atocha", "Calle Mayor", "Calle de Alcalá"]),
        new("Amsterdam", 52.3676, 4.9041, 0.10, "EUR",
            ["Jordaan", "De Pijp", "Oost", "Noord", "Westerpark", "Oud-Zuid", "Centrum"],
            ["Prinsengracht", "Albert Cuypstraat", "Haarlemmerstraat", "Javastraat", "Ferdinand Bolstraat"]),
    ];

    public static readonly string[] FirstNames =
    [
        "Alex", "Sam", "Jamie", "Charlie", "Maya", "Noah", "Lena", "Jonas", "Sofia", "Lucas", "Emma", "Mateo", "Chloé",
        "Louis", "Marta", "Pablo", "Anouk", "Daan", "Olivia", "Oliver", "Amelia", "Harry", "Mia", "Leon", "Hannah",
        "Felix", "Inès", "Hugo", "Lucía", "Diego", "Fleur", "Sem", "Priya", "Omar", "Yara", "Kenji", "Aisha", "Tom",
        "Clara", "Ben", "Zoe", "Ravi", "Elif", "Nina", "Ivan", "Sara", "Theo", "Ada", "Jules", "Nora",
    ];

    public static readonly string[] LastNames =
    [
        "Smith", "Müller", "Martin", "García", "de Vries", "Jones", "Schmidt", "Bernard", "Fernández", "Jansen",
        "Taylor", "Schneider", "Dubois", "López", "Bakker", "Brown", "Fischer", "Thomas", "Martínez", "Visser",
        "Williams", "Weber", "Robert", "Sánchez", "Smit", "Wilson", "Wagner", "Petit", "Romero", "Meijer", "Khan",
        "Nguyen", "Kowalski", "Rossi", "Novak", "Silva", "Okafor", "Yilmaz", "Cohen", "Andersen",
    ];

    /// <summary>How often each category comes up (relative); the rest weigh 1.</summary>
    public static readonly Dictionary<string, double> CategoryWeights = new()
    {
        ["running"] = 3, ["hiking"] = 3, ["live_music"] = 3, ["board_games"] = 2.5, ["language_exchange"] = 2.5,
        ["yoga"] = 2.5, ["coffee"] = 2, ["craft_beer"] = 2, ["trivia"] = 2, ["football"] = 2, ["cycling"] = 2,
        ["networking"] = 2, ["programming"] = 2, ["photography"] = 2, ["cooking"] = 1.5, ["dance"] = 1.5,
        ["film"] = 1.5, ["museums"] = 1.5, ["climbing"] = 1.5, ["book_club"] = 1.5, ["startups"] = 1.5,
    };

    /// <summary>Words an event of the category is described with (what people search for).</summary>
    public static readonly Dictionary<string, string[]> Keywords = new()
    {
        ["running"] = ["run", "5k", "park run", "tempo"],
        ["football"] = ["five-a-side", "pickup football", "match"],
        ["basketball"] = ["pickup game", "hoops", "3x3"],
        ["tennis"] = ["padel", "doubles", "tennis"],
        ["cycling"] = ["bike ride", "cycling tour", "gravel"],
        ["swimming"] = ["open water swim", "lido", "laps"],
        ["climbing"] = ["bouldering", "climbing wall", "top rope"],
        ["hiking"] = ["hike", "trail", "day hike", "nature walk"],
        ["camping"] = ["campfire", "overnight camp", "tent"],
        ["paddling"] = ["kayak", "canoe", "SUP"],
        ["birdwatching"] = ["birdwatching", "nature walk", "wetlands"],
        ["gardening"] = ["community garden", "planting", "allotment"],
        ["painting"] = ["sketching", "watercolour", "life drawing"],
        ["photography"] = ["photo walk", "street photography", "film camera"],
        ["theatre"] = ["improv", "play reading", "theatre night"],
        ["museums"] = ["gallery tour", "exhibition", "museum late"],
        ["crafts"] = ["knitting", "pottery", "upcycling"],
        ["writing"] = ["writing circle", "poetry", "short stories"],
        ["film"] = ["screening", "cinema club", "documentary"],
        ["live_music"] = ["gig", "concert", "open mic"],
        ["singing"] = ["choir", "karaoke", "harmonies"],
        ["jazz"] = ["jazz night", "jam", "swing"],
        ["electronic_music"] = ["DJ set", "techno", "house music"],
        ["jam_sessions"] = ["jam session", "open jam", "acoustic"],
        ["cooking"] = ["cooking class", "pasta", "dumplings"],
        ["wine_tasting"] = ["wine tasting", "natural wine", "sommelier"],
        ["craft_beer"] = ["brewery tour", "IPA", "beer tasting"],
        ["coffee"] = ["coffee morning", "cupping", "espresso"],
        ["food_markets"] = ["street food", "food market", "night market"],
        ["baking"] = ["sourdough", "bake-off", "pastry"],
        ["programming"] = ["coding", "hackathon", "TypeScript", "Rust"],
        ["startups"] = ["founders", "pitch night", "startup"],
        ["ai_and_data"] = ["machine learning", "data science", "AI"],
        ["maker"] = ["Arduino", "soldering", "3D printing"],
        ["design_ux"] = ["UX", "design critique", "Figma"],
        ["yoga"] = ["yoga", "vinyasa", "yoga in the park"],
        ["meditation"] = ["meditation", "mindfulness", "breathwork"],
        ["fitness"] = ["bootcamp", "HIIT", "strength"],
        ["dance"] = ["salsa", "swing dance", "bachata"],
        ["pilates"] = ["pilates", "mat pilates", "core"],
        ["board_games"] = ["board games", "Catan", "game night"],
        ["video_games"] = ["LAN party", "retro gaming", "Mario Kart"],
        ["trivia"] = ["pub quiz", "trivia night", "quiz"],
        ["language_exchange"] = ["language exchange", "Spanish", "German", "tandem"],
        ["book_club"] = ["book club", "reading", "novel"],
        ["volunteering"] = ["volunteering", "litter pick", "food bank"],
        ["networking"] = ["networking", "meetup", "career"],
    };

    public static readonly string[] TitlePatterns =
    [
        "{Name} meetup in {Area}",
        "{Day} {keyword} in {Area}",
        "Beginners' {keyword}",
        "{Area} {keyword} club",
        "{Keyword} & drinks",
        "Social {keyword} for newcomers",
        "{Keyword} night",
        "{Name}: {keyword} with friends",
        "Weekly {keyword} group",
        "{Keyword} in {Area}",
    ];

    public static readonly string[] DescriptionPatterns =
    [
        "Join us for {keyword} in {Area}. All levels welcome; come alone or bring friends. {Extra}",
        "A relaxed {name} get-together. We meet at the entrance and head out together. {Extra}",
        "Our regular {keyword} group: friendly people, no pressure, and a drink afterwards for anyone who likes. {Extra}",
        "New to {City}? This is an easy way to meet people who like {name}. {Extra}",
    ];

    public static readonly string[] Extras =
    [
        "Bring water and comfortable shoes.",
        "We usually go for food afterwards.",
        "Beginners especially welcome.",
        "Look for the group with the yellow sign.",
        "Places are limited, so please only say you're going if you are.",
        "",
    ];
}
