using System.Globalization;
using System.Text.Json;
using Kinder.Core.Events;
using Kinder.Core.Preferences;
using NetTopologySuite.Geometries;
using BCryptHasher = BCrypt.Net.BCrypt;

namespace Kinder.Seed;

public sealed record SeedInterest(int Id, string Slug, string Name);

public sealed record SeedUser(Guid Id, string Email, string DisplayName, string? Bio, DateOnly BirthDate, Point Location,
    string City, DateTimeOffset CreatedAt);

public sealed record SeedPreference(Guid UserId, string Key, string Value, DateTimeOffset UpdatedAt);

public sealed class SeedEvent
{
    public required Guid Id { get; init; }
    public required Guid OrganizerId { get; init; }
    public required string Title { get; init; }
    public required string Description { get; init; }
    public required DateTimeOffset StartsAt { get; init; }
    public required DateTimeOffset EndsAt { get; init; }
    public required Point Location { get; init; }
    public required string Address { get; init; }
    public required string City { get; init; }
    public required int CategoryId { get; init; }
    public int? Capacity { get; init; }
    public long PriceMinor { get; init; }
    public string? Currency { get; init; }
    public EventVisibility Visibility { get; init; }
    public EventStatus Status { get; init; }
    public int GoingCount { get; set; }
    public int InterestedCount { get; set; }
    public long AttendanceSequence { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }
}

public sealed record SeedAttendance(Guid EventId, Guid UserId, AttendanceStatus Status, long Sequence,
    DateTimeOffset At);

public sealed record SeedData(DateTimeOffset Anchor, string PasswordHash, List<SeedUser> Users,
    List<SeedPreference> Preferences, List<SeedEvent> Events, List<SeedAttendance> Attendances);

/// <summary>
/// Makes the data in memory, deterministically from the seed and the UTC day (the time anchor: midnight today, so
/// "past" and "upcoming" stay true whenever it runs).
/// </summary>
/// <remarks>
/// The shape: five real cities by share of the data; places around each centre at a distance drawn from a mix of a
/// tight (σ 2.5 km) and a wide (σ 9 km) normal, so centres are dense and suburbs thin out; users near their city with
/// 2–7 interests (popular categories more often), weekend availability and a discovery radius; events by users of the
/// city, 35 % past and 65 % in the next 120 days, on weekday evenings and weekend days, mostly free, 60 % with a
/// capacity; attendance drawn per event from people of the same city (half of them people who like the category), the
/// organizer going first, counts and sequence numbers as <see cref="EventAttendanceRules"/> would leave them, full
/// events with a short waitlist after everyone going.
/// </remarks>
public sealed class SeedGenerator(SeedOptions options, IReadOnlyList<SeedInterest> interests)
{
    /// <summary>bcrypt work factor of the seeded password hash: the minimum the Api accepts, so sign-ins are quick.</summary>
    public const int BcryptWorkFactor = 11;

    private readonly Random _random = new(options.Seed);

    public static string EmailFor(int index) => $"seed{index.ToString("D5", CultureInfo.InvariantCulture)}@seed.kinder.test";

    public SeedData Generate()
    {
        var anchor = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        // One hash for everyone (the same scheme as the Api's PasswordHasher: enhanced, SHA-384 pre-hash).
        var hash = BCryptHasher.EnhancedHashPassword(options.Password, BcryptWorkFactor, BCrypt.Net.HashType.SHA384);
        var categoryWeights = interests.Select(i => SeedWorld.CategoryWeights.GetValueOrDefault(i.Slug, 1)).ToArray();

        var users = new List<SeedUser>(options.Users);
        var preferences = new List<SeedPreference>(options.Users * 3);
        var cityOf = new int[options.Users];
        var usersByCity = SeedWorld.Cities.Select(_ => new List<int>()).ToArray();
        // Per city and category: the users who like it (attendance leans on them).
        var likersByCityCategory = new Dictionary<(int City, int Category), List<int>>();
        for (var i = 0; i < options.Users; i++)
        {
            var city = PickCity();
            cityOf[i] = city;
            usersByCity[city].Add(i);
            var c = SeedWorld.Cities[city];
            var first = Pick(SeedWorld.FirstNames);
            var last = Pick(SeedWorld.LastNames);
            var created = anchor.AddDays(-_random.Next(1, 720)).AddSeconds(_random.Next(86_400));
            var user = new SeedUser(NewId(created), EmailFor(i + 1), $"{first} {last}",
                _random.NextDouble() < 0.6 ? $"{first} from {Pick(c.Areas)}, {c.Name}." : null,
                new DateOnly(1965 + _random.Next(41), 1 + _random.Next(12), 1 + _random.Next(28)),
                PointNear(c), c.Name, created);
            users.Add(user);

            // One in twenty has not said anything yet (discovery must still work for them).
            if (_random.NextDouble() < 0.05)
            {
                continue;
            }
            var liked = new HashSet<int>();
            var count = 2 + _random.Next(6);
            while (liked.Count < count)
            {
                liked.Add(interests[PickWeighted(categoryWeights)].Id);
            }
            foreach (var category in liked)
            {
                if (!likersByCityCategory.TryGetValue((city, category), out var list))
                {
                    likersByCityCategory[(city, category)] = list = [];
                }
                list.Add(i);
            }
            preferences.Add(new SeedPreference(user.Id, PreferenceKeys.Interests, Json(liked.Order().ToList()), created));
            preferences.Add(new SeedPreference(user.Id, PreferenceKeys.Availability, Json(Availability()), created));
            if (_random.NextDouble() < 0.5)
            {
                int[] radii = [5, 10, 15, 25, 25, 50];
                preferences.Add(new SeedPreference(user.Id, PreferenceKeys.Location,
                    Json(new LocationPreference { RadiusKm = Pick(radii) }), created));
            }
        }

        var events = new List<SeedEvent>(options.Events);
        var attendances = new List<SeedAttendance>(options.Events * 10);
        var taken = new HashSet<int>();
        for (var n = 0; n < options.Events; n++)
        {
            var city = PickCity();
            var c = SeedWorld.Cities[city];
            var pool = usersByCity[city];
            if (pool.Count == 0)
            {
                continue;
            }
            var organizer = pool[_random.Next(pool.Count)];
            var categoryIndex = PickWeighted(categoryWeights);
            var category = interests[categoryIndex];
            var startsAt = StartTime(anchor);
            var endsAt = startsAt.AddMinutes(60 + 30 * _random.Next(7));
            var createdAt = Min(startsAt, anchor).AddDays(-_random.Next(1, 60)).AddSeconds(-_random.Next(86_400));
            int[] capacities = [6, 8, 10, 12, 15, 20, 20, 25, 30, 40, 50, 100];
            int? capacity = _random.NextDouble() < 0.6 ? Pick(capacities) : null;
            var paid = _random.NextDouble() < 0.12;
            var cancelled = _random.NextDouble() < 0.03;
            var area = Pick(c.Areas);
            var keyword = Pick(SeedWorld.Keywords.GetValueOrDefault(category.Slug, [category.Name.ToLowerInvariant()]));
            var @event = new SeedEvent
            {
                Id = NewId(createdAt),
                OrganizerId = users[organizer].Id,
                Title = Fill(Pick(SeedWorld.TitlePatterns), category, keyword, area, c, startsAt),
                Description = Fill(Pick(SeedWorld.DescriptionPatterns), category, keyword, area, c, startsAt).Trim(),
                StartsAt = startsAt,
                EndsAt = endsAt,
                Location = PointNear(c),
                Address = $"{1 + _random.Next(180)} {Pick(c.Streets)}, {area}",
                City = c.Name,
                CategoryId = category.Id,
                Capacity = capacity,
                PriceMinor = paid ? 500 * (1 + _random.Next(8)) : 0,
                Currency = paid ? c.Currency : null,
                Visibility = _random.NextDouble() < 0.05 ? EventVisibility.Private : EventVisibility.Public,
                Status = cancelled ? EventStatus.Cancelled : EventStatus.Published,
                CreatedAt = createdAt,
                CancelledAt = cancelled ? Min(startsAt, anchor).AddHours(-_random.Next(1, 72)) : null,
            };
            events.Add(@event);
            Attend(@event, users, users[organizer].Id, organizer, pool,
                likersByCityCategory.GetValueOrDefault((city, category.Id)), taken, attendances);
        }
        return new SeedData(anchor, hash, users, preferences, events, attendances);
    }

    /// <summary>
    /// The event's attendance as the Api would have left it: the organizer going with sequence 1, then people in the
    /// order they answered (each answer the next sequence number), going up to the capacity, then a waitlist.
    /// </summary>
    private void Attend(SeedEvent @event, List<SeedUser> users, Guid organizerId, int organizer, List<int> cityPool,
        List<int>? likers, HashSet<int> taken, List<SeedAttendance> attendances)
    {
        taken.Clear();
        taken.Add(organizer);
        var at = @event.CreatedAt;
        attendances.Add(new SeedAttendance(@event.Id, organizerId, AttendanceStatus.Going, ++@event.AttendanceSequence, at));
        @event.GoingCount = 1;

        // Popularity is skewed: most events draw a handful, a few draw dozens (log-normal).
        var wantGoing = (int)Math.Round(Math.Exp(1.2 + 1.0 * Gaussian()));
        var wantInterested = (int)Math.Round(Math.Exp(0.9 + 0.9 * Gaussian()));
        var capacity = @event.Capacity ?? int.MaxValue;
        var full = wantGoing + 1 >= capacity;
        var waitlist = full ? _random.Next(0, 6) : 0;
        var answers = new List<AttendanceStatus>();
        answers.AddRange(Enumerable.Repeat(AttendanceStatus.Going, Math.Min(wantGoing, capacity - 1)));
        answers.AddRange(Enumerable.Repeat(AttendanceStatus.Interested, wantInterested));
        answers.AddRange(Enumerable.Repeat(AttendanceStatus.NotGoing, _random.NextDouble() < 0.2 ? 1 : 0));
        Shuffle(answers);
        answers.AddRange(Enumerable.Repeat(AttendanceStatus.Waitlisted, waitlist));
        var span = Math.Max(60, (int)(Min(@event.StartsAt, @event.CreatedAt.AddDays(60)) - @event.CreatedAt).TotalSeconds);
        foreach (var status in answers)
        {
            if (status == AttendanceStatus.Waitlisted && @event.GoingCount < capacity)
            {
                break;
            }
            var person = PickAttendee(cityPool, likers, taken);
            if (person < 0)
            {
                break;
            }
            at = at.AddSeconds(_random.Next(1, Math.Max(2, span / (answers.Count + 1))));
            attendances.Add(new SeedAttendance(@event.Id, users[person].Id, status, ++@event.AttendanceSequence, at));
            switch (status)
            {
                case AttendanceStatus.Going:
                    @event.GoingCount++;
                    break;
                case AttendanceStatus.Interested:
                    @event.InterestedCount++;
                    break;
            }
        }
    }

    private int PickAttendee(List<int> cityPool, List<int>? likers, HashSet<int> taken)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var source = likers is { Count: > 0 } && _random.NextDouble() < 0.5 ? likers : cityPool;
            var person = source[_random.Next(source.Count)];
            if (taken.Add(person))
            {
                return person;
            }
        }
        return -1;
    }

    private WeekendAvailability Availability()
    {
        var days = WeekendAvailability.AllDays.Where(_ => _random.NextDouble() < 0.5).ToList();
        if (days.Count == 0)
        {
            days.Add(WeekendAvailability.Saturday);
        }
        var slots = _random.NextDouble() < 0.4
            ? []
            : WeekendAvailability.AllTimeSlots.Where(_ => _random.NextDouble() < 0.5).ToList();
        return new WeekendAvailability { Days = days, TimeSlots = slots };
    }

    /// <summary>35 % in the last 180 days, 65 % in the next 120: weekday evenings, weekend days (UTC).</summary>
    private DateTimeOffset StartTime(DateTimeOffset anchor)
    {
        var day = _random.NextDouble() < 0.35 ? -1 - _random.Next(180) : _random.Next(120);
        var date = anchor.AddDays(day);
        // Weekends are busier: re-draw a weekday once, half the time.
        if (date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && _random.NextDouble() < 0.5)
        {
            day = day < 0 ? -1 - _random.Next(180) : _random.Next(120);
            date = anchor.AddDays(day);
        }
        var weekend = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var hour = weekend ? 9 + _random.Next(10) : _random.NextDouble() < 0.85 ? 17 + _random.Next(4) : 7 + _random.Next(10);
        return date.AddHours(hour).AddMinutes(15 * _random.Next(4));
    }

    private string Fill(string pattern, SeedInterest category, string keyword, string area, SeedCity city,
        DateTimeOffset startsAt) =>
        pattern.Replace("{Name}", category.Name)
            .Replace("{name}", category.Name.ToLowerInvariant())
            .Replace("{Keyword}", char.ToUpperInvariant(keyword[0]) + keyword[1..])
            .Replace("{keyword}", keyword)
            .Replace("{Area}", area)
            .Replace("{City}", city.Name)
            .Replace("{Day}", startsAt.DayOfWeek.ToString())
            .Replace("{Extra}", Pick(SeedWorld.Extras));

    private int PickCity()
    {
        var x = _random.NextDouble();
        for (var i = 0; i < SeedWorld.Cities.Length; i++)
        {
            x -= SeedWorld.Cities[i].Share;
            if (x < 0)
            {
                return i;
            }
        }
        return SeedWorld.Cities.Length - 1;
    }

    /// <summary>A point around the city centre: 60 % within a tight normal (σ 2.5 km), 40 % a wide one (σ 9 km).</summary>
    private Point PointNear(SeedCity city)
    {
        var sigma = _random.NextDouble() < 0.6 ? 2.5 : 9.0;
        var km = Math.Min(45, Math.Abs(Gaussian()) * sigma);
        var angle = _random.NextDouble() * 2 * Math.PI;
        var latitude = city.Latitude + km * Math.Sin(angle) / 110.574;
        var longitude = city.Longitude + km * Math.Cos(angle) / (111.320 * Math.Cos(city.Latitude * Math.PI / 180));
        return new Point(Math.Round(longitude, 6), Math.Round(latitude, 6)) { SRID = 4326 };
    }

    private double Gaussian()
    {
        var u1 = 1 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private int PickWeighted(double[] weights)
    {
        var x = _random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return i;
            }
        }
        return weights.Length - 1;
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private void Shuffle<T>(List<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A UUID version 7 for <paramref name="time"/> with its random bits from the seeded generator.</summary>
    private Guid NewId(DateTimeOffset time)
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        var ms = time.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(ms >> (8 * (5 - i)));
        }
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonSerializerOptions.Web);
}
