using Kinder.Core.Identity;
using Kinder.Tests.Infrastructure;
using NetTopologySuite.Geometries;

namespace Kinder.Tests.PersonalData;

/// <summary>Users with every personal field filled, written straight to a test database.</summary>
internal static class TestAccounts
{
    public const string PasswordHash = "$2a$11$abcdefghijklmnopqrstuuJq6x0mXg1dQ0cH7wX2lq3n5r7t9v1yW";

    public static Task<User> CreateAsync(string connectionString, Action<User>? customise = null) =>
        TestUsers.CreateAsync(connectionString, user =>
        {
            user.DisplayName = "Ada Lovelace";
            user.PasswordHash = PasswordHash;
            user.EmailVerifiedAt = DateTimeOffset.UtcNow;
            user.GoogleSubject = $"google-{Guid.NewGuid():N}";
            user.Bio = "Poetical science.";
            user.BirthDate = new DateOnly(1990, 12, 10);
            user.Location = new Point(-0.1276, 51.5072) { SRID = 4326 };
            user.City = "London";
            customise?.Invoke(user);
        });

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
