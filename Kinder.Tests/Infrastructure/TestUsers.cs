using Kinder.Core.Identity;

namespace Kinder.Tests.Infrastructure;

/// <summary>
/// The one way tests make a user without signing up: a verified user written straight to a test database. Fixtures
/// wrap it for their own host (<see cref="ApiFactoryUsers.CreateUserAsync"/>); <paramref name="configure"/> sets what
/// a test cares about. Tests of sign-up itself go through the Api (Identity/Accounts.cs).
/// </summary>
public static class TestUsers
{
    public static User New(Action<User>? configure = null)
    {
        var user = new User
        {
            Email = $"user-{Guid.NewGuid():N}@example.test",
            DisplayName = "Test User",
            EmailVerified = true,
        };
        configure?.Invoke(user);
        return user;
    }

    public static async Task<User> CreateAsync(string connectionString, Action<User>? configure = null) =>
        (await CreateManyAsync(connectionString, 1, (user, _) => configure?.Invoke(user)))[0];

    /// <param name="configure">Given each user and its index.</param>
    public static async Task<List<User>> CreateManyAsync(string connectionString, int count,
        Action<User, int>? configure = null)
    {
        var users = Enumerable.Range(0, count).Select(index => New(user => configure?.Invoke(user, index))).ToList();
        await using var db = TestDatabases.CreateContext(connectionString);
        db.Users.AddRange(users);
        await db.SaveChangesAsync();
        return users;
    }
}
