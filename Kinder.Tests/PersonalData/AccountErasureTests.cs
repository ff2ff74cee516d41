using Kinder.Core.Identity;
using Kinder.Messaging;
using Kinder.Messaging.Outbox;
using Kinder.Core.Outbox;
using Kinder.Core.PersonalData;
using Kinder.Core.Storage;
using Kinder.Tests.Infrastructure;
using Kinder.Tests.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.PersonalData;

/// <summary>Workers finishing a deletion: UserDeletionRequested through the outbox and Kafka to the erasure.</summary>
public sealed class AccountErasureTests(WorkersFactory workers) : IClassFixture<WorkersFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_deletion_request_anonymises_the_account_and_deletes_its_avatar_objects_and_sessions()
    {
        var storage = workers.Services.GetRequiredService<ObjectStorage>(); // starts Workers: relay and consumers
        var user = await TestAccounts.CreateAsync(workers.DatabaseConnectionString);
        await TestAccounts.AddRefreshTokenAsync(workers.DatabaseConnectionString, user.Id);
        var (avatar, thumbnail) = AvatarKeys.New(user.Id);
        var (leftover, _) = AvatarKeys.New(user.Id); // an older avatar whose clean-up failed
        foreach (var key in new[] { avatar, thumbnail, leftover })
        {
            await storage.PutAsync(key, [1, 2, 3], "image/webp", CancellationToken.None);
        }
        var (otherUsersAvatar, _) = AvatarKeys.New(Guid.CreateVersion7());
        await storage.PutAsync(otherUsersAvatar, [4], "image/webp", CancellationToken.None);

        await RequestDeletionAsync(user.Id, avatar);

        await using var db = TestDatabases.CreateContext(workers.DatabaseConnectionString);
        User erased = null!;
        await Eventually.TrueAsync(() =>
        {
            db.ChangeTracker.Clear();
            erased = db.Users.AsNoTracking().Single(u => u.Id == user.Id);
            return erased.Email == AccountPersonalDataSource.DeletedEmail(user.Id);
        }, "Workers anonymised the account", Patience);
        Assert.Equal(AccountPersonalDataSource.DeletedDisplayName, erased.DisplayName);
        Assert.Null(erased.PasswordHash);
        Assert.Null(erased.GoogleSubject);
        Assert.Null(erased.Bio);
        Assert.Null(erased.BirthDate);
        Assert.Null(erased.Location);
        Assert.Null(erased.City);
        Assert.Null(erased.AvatarKey);
        Assert.NotNull(erased.DeletedAt);
        Assert.False(await db.RefreshTokens.AnyAsync(token => token.UserId == user.Id));
        foreach (var key in new[] { avatar, thumbnail, leftover })
        {
            Assert.False(await storage.ExistsAsync(key, CancellationToken.None), $"{key} is still stored.");
        }
        Assert.True(await storage.ExistsAsync(otherUsersAvatar, CancellationToken.None));
    }

    [Fact]
    public async Task A_request_for_an_account_not_marked_deleted_erases_nothing()
    {
        _ = workers.Server;
        var user = await TestAccounts.CreateAsync(workers.DatabaseConnectionString);
        var marker = await TestAccounts.CreateAsync(workers.DatabaseConnectionString, u => u.DeletedAt = DateTimeOffset.UtcNow);

        await using (var db = TestDatabases.CreateContext(workers.DatabaseConnectionString))
        {
            // Forged or stale: the user never asked (DeletedAt is not set). Then a real request under the same key (same
            // partition, so handled after it), to know when the first was handled.
            db.AddIntegrationEvent(Topics.Users, user.Id.ToString(), new UserDeletionRequestedIntegrationEvent(user.Id, DateTimeOffset.UtcNow));
            db.AddIntegrationEvent(Topics.Users, user.Id.ToString(), new UserDeletionRequestedIntegrationEvent(marker.Id, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        }

        await using var check = TestDatabases.CreateContext(workers.DatabaseConnectionString);
        await Eventually.TrueAsync(() => check.Users.AsNoTracking().Single(u => u.Id == marker.Id).Email ==
            AccountPersonalDataSource.DeletedEmail(marker.Id), "the later request was handled", Patience);
        var untouched = await check.Users.AsNoTracking().SingleAsync(u => u.Id == user.Id);
        Assert.Equal(user.Email, untouched.Email);
        Assert.Equal(user.Bio, untouched.Bio);
    }

    [Fact]
    public async Task A_deletion_request_deletes_the_outbox_rows_that_name_the_user()
    {
        _ = workers.Server;
        var user = await TestAccounts.CreateAsync(workers.DatabaseConnectionString);
        var other = Guid.CreateVersion7();
        var published = DateTimeOffset.UtcNow;
        OutboxMessage Row(string topic, string key, string payload) => new()
        {
            Topic = topic, Key = key, Type = "TestRecord", Payload = payload, PublishedAt = published,
        };
        var mail = Row(Topics.Email, user.Email, $$"""{"to":"{{user.Email}}","template":"password-changed"}""");
        var naming = Row(Topics.Attendance, Guid.NewGuid().ToString(), $$"""{"userId":"{{user.Id}}","status":"going"}""");
        var unrelated = Row(Topics.Attendance, Guid.NewGuid().ToString(), $$"""{"userId":"{{other}}","status":"going"}""");
        await using (var db = TestDatabases.CreateContext(workers.DatabaseConnectionString))
        {
            db.OutboxMessages.AddRange(mail, naming, unrelated);
            await db.SaveChangesAsync();
        }

        await RequestDeletionAsync(user.Id, AvatarKeys.New(user.Id).Avatar);

        await using var check = TestDatabases.CreateContext(workers.DatabaseConnectionString);
        await Eventually.TrueAsync(() => check.Users.AsNoTracking().Single(u => u.Id == user.Id).Email ==
            AccountPersonalDataSource.DeletedEmail(user.Id), "Workers anonymised the account", Patience);
        var left = await check.OutboxMessages.Where(m => m.Id == mail.Id || m.Id == naming.Id || m.Id == unrelated.Id)
            .Select(m => m.Id).ToListAsync();
        Assert.Equal([unrelated.Id], left);
    }

    private async Task RequestDeletionAsync(Guid userId, string avatarKey)
    {
        await using var db = TestDatabases.CreateContext(workers.DatabaseConnectionString);
        // What DELETE /users/me commits.
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u
            .SetProperty(x => x.DeletedAt, DateTimeOffset.UtcNow)
            .SetProperty(x => x.AvatarKey, avatarKey));
        db.AddIntegrationEvent(Topics.Users, userId.ToString(), new UserDeletionRequestedIntegrationEvent(userId, DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
    }
}
