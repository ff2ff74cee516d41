using Kinder.Core;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Kinder.Api.Identity.Google;

/// <summary>
/// The Kinder account a Google identity signs in to: the one already linked to the Google subject, else the one with
/// the same (Google-verified) email, which gets linked, else a new account with a verified email.
/// </summary>
public sealed class GoogleAccounts(KinderDbContext db, AccessTokenBlacklist blacklist, UserSecurityState securityState,
    IOptions<JwtOptions> jwt, TimeProvider time, ILogger<GoogleAccounts> logger)
{
    public sealed record Result(User? User, GoogleSignInError? Error);

    public async Task<Result> SignInAsync(GoogleIdentity identity, CancellationToken cancellationToken)
    {
        // Two first sign-ins of one person can race to create the account; the unique indexes let one win and the
        // other, on its second pass, finds the account the first created.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await FindOrCreateAsync(identity, cancellationToken);
            }
            catch (DbUpdateException exception) when (attempt == 1
                && exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<Result> FindOrCreateAsync(GoogleIdentity identity, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var user = await db.Users.FirstOrDefaultAsync(u => u.GoogleSubject == identity.Subject, cancellationToken);
        if (user is null)
        {
            // citext: the same address however Google or the user capitalised it.
            user = await db.Users.FirstOrDefaultAsync(u => u.Email == identity.Email, cancellationToken);
            if (user is null)
            {
                user = NewUser(identity, now);
                db.Users.Add(user);
                await db.SaveChangesAsync(cancellationToken);
                logger.LogInformation("Created user {UserId} from a Google sign-in", user.Id);
                return new Result(user, null);
            }
            if (user.DeletedAt is null)
            {
                if (user.GoogleSubject is not null)
                {
                    return new Result(null, new GoogleSignInError(StatusCodes.Status409Conflict, ErrorCodes.GoogleAccountConflict,
                        "This email belongs to a Kinder account that is linked to a different Google account."));
                }
                await LinkAsync(user, identity, now, cancellationToken);
            }
        }

        if (user.DeletedAt is not null)
        {
            return new Result(null, new GoogleSignInError(StatusCodes.Status403Forbidden, ErrorCodes.AccountDeleted,
                "This account has been deleted."));
        }
        return new Result(user, null);
    }

    private async Task LinkAsync(User user, GoogleIdentity identity, DateTimeOffset now, CancellationToken cancellationToken)
    {
        user.GoogleSubject = identity.Subject;
        if (!user.EmailVerified)
        {
            // Whoever chose this account's password never proved they own the address; Google just proved someone
            // else does. Keeping the password (and its sessions) would let a squatter into the owner's account.
            user.PasswordHash = null;
            user.EmailVerified = true;
            user.EmailVerifiedAt = now;
            await db.RefreshTokens
                .Where(token => token.UserId == user.Id && token.RevokedAt == null)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(token => token.RevokedAt, now)
                    .SetProperty(token => token.RevokedReason, "google-link"), cancellationToken);
        }
        user.UpdatedAt = now;
        // A new way into the account ends every access token issued before it (the per-user cut-off), here and on
        // the hub; the session this sign-in starts is issued after it and works.
        await blacklist.RevokeAllAsync(user.Id, jwt.Value.AccessTokenLifetime);
        await db.SaveChangesAsync(cancellationToken);
        await securityState.InvalidateAsync(user.Id, cancellationToken);
        logger.LogInformation("Linked user {UserId} to a Google account", user.Id);
    }

    private static User NewUser(GoogleIdentity identity, DateTimeOffset now)
    {
        var displayName = identity.Name ?? identity.Email.Split('@')[0];
        return new User
        {
            Email = identity.Email,
            DisplayName = displayName.Length > UserEntityTypeConfiguration.MaxDisplayNameLength
                ? displayName[..UserEntityTypeConfiguration.MaxDisplayNameLength]
                : displayName,
            EmailVerified = true,
            EmailVerifiedAt = now,
            GoogleSubject = identity.Subject,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }
}
