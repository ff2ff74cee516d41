using Kinder.Core.Identity;
using Kinder.Tests.Infrastructure;
using NetTopologySuite.Geometries;

namespace Kinder.Tests.PersonalData;

/// <summary>Users with every personal field filled, written straight to a test database.</summary>
internal static class TestAccounts
{
    public const string PasswordHash = "$2a$11$abcdefghijklmnopqrstuuJq6x0mXg1dQ0cH7wX2lq3n5r7t9v1yW";

    public static async Task<User> CreateAsync(string connectionString, Action<User>? customise = null)
    {
        var user = new User
        {
            Email = $"person-{Guid.NewGuid():N}@example.test",
            DisplayName = "Ada Lovelace",
            PasswordHash = PasswordHash,
            EmailVerified = true,
            EmailVerifiedAt = DateTimeOffset.UtcNow,
            GoogleSubject = $"google-{Guid.NewGuid():N}",
            Bio = "Poetical science.",
            BirthDate = new DateOnly(1990, 12, 10),
            Location = new Point(-0.1276, 51.5072) { SRID = 4326 },
            City = "London",
        };
        customise?.Invoke(user);
        await using var db = TestDatabases.CreateContext(connectionString);
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user;
    }

    /// <summary>A refresh token row; returns its hash, which must never leave the database.</summary>
    public static async Task<byte[]> AddRefreshTokenAsync(string connectionString, Guid userId)
    {
        var hash = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        await using var db = TestDatabases.CreateContext(connectionString);
        db.RefreshTokens.Add(new RefreshToken
        {
            UserId = userId,
            FamilyId = Guid.CreateVersion7(),
            TokenHash = hash,
            ExpiresAt = DateTimeOffset.UtcNow.AddDays(30),
        });
        await db.SaveChangesAsync();
        return hash;
    }
}
