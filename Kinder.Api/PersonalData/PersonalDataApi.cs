using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Moderation;
using Kinder.Messaging;
using Kinder.Core.Outbox;
using Kinder.Core.PersonalData;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Api.PersonalData;

public sealed class PersonalDataServices(KinderDbContext db, IEnumerable<IPersonalDataSource> sources,
    AccessTokenBlacklist blacklist, IOptions<JwtOptions> jwt, TimeProvider time, AuditTrail audit,
    ILogger<PersonalDataServices> logger)
{
    public AuditTrail Audit { get; } = audit;
    public KinderDbContext Db { get; } = db;
    public IEnumerable<IPersonalDataSource> Sources { get; } = sources;
    public AccessTokenBlacklist Blacklist { get; } = blacklist;
    public IOptions<JwtOptions> Jwt { get; } = jwt;
    public TimeProvider Time { get; } = time;
    public ILogger<PersonalDataServices> Logger { get; } = logger;
}

/// <summary>"Your data": everything Kinder holds about the caller, and deleting the account.</summary>
public static class PersonalDataApi
{
    public const string DeletionRevokedReason = "account_deleted";

    /// <summary>How recent a sign-in deleting the account needs: the access token must be issued within it.</summary>
    public static readonly TimeSpan RecentSignIn = TimeSpan.FromMinutes(5);

    public static IEndpointRouteBuilder MapPersonalDataApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/users/me").WithTags("Your data").RequireAuthorization();
        group.MapGet("/export", ExportPersonalData)
            .WithName("ExportPersonalData")
            .WithSummary("Everything Kinder holds about the caller, as JSON: the account, sessions and every feature's section.")
            .RequireUserRateLimit("export", limits => limits.Export);
        group.MapDelete("/", DeleteAccount)
            .WithName("DeleteAccount")
            .WithSummary("Delete the caller's account: every token refused at once, personal data erased by Workers shortly after.")
            .WithDescription("Needs a recent sign-in: an access token issued in the last 5 minutes (sign in again, with " +
                "the password or Google, for one); an older one is `403 REAUTHENTICATION_REQUIRED`.")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    /// <summary>
    /// One member per <see cref="IPersonalDataSource"/> (<c>account</c>, <c>sessions</c>, …) plus <c>exportedAt</c>.
    /// Secrets (password hash, token hashes) are never part of it.
    /// </summary>
    public static async Task<Results<Ok<Dictionary<string, object?>>, ProblemHttpResult>> ExportPersonalData(
        ClaimsPrincipal principal, HttpContext httpContext, [AsParameters] PersonalDataServices services,
        CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        if (!await services.Db.Users.AnyAsync(u => u.Id == userId && u.DeletedAt == null, cancellationToken))
        {
            return Problems.NotFound();
        }

        var export = new Dictionary<string, object?> { ["exportedAt"] = services.Time.GetUtcNow() };
        // One after another: the sources share this request's DbContext.
        foreach (var source in services.Sources.OrderBy(source => source.Section, StringComparer.Ordinal))
        {
            export[source.Section] = await source.ExportAsync(userId, cancellationToken);
        }
        httpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"kinder-export-{userId}.json\"";
        return TypedResults.Ok(export);
    }

    /// <summary>
    /// Refuses every access token issued until now (Redis, checked by Api and Realtime) and revokes every refresh
    /// token, marks the account deleted and, in the same transaction, asks Workers to erase the personal data
    /// (<see cref="UserDeletionRequestedIntegrationEvent"/>). The access tokens go first: if the rest fails, all it
    /// cost is the user's current access tokens; the account is untouched and the request can be repeated.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAccount(ClaimsPrincipal principal,
        [AsParameters] PersonalDataServices services, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        // Someone who found a signed-in device, or an access token, must not be able to erase the account.
        var issuedAt = AccessTokenBlacklist.IssuedAtMillisecondsOf(principal);
        if (issuedAt < (services.Time.GetUtcNow() - RecentSignIn).ToUnixTimeMilliseconds())
        {
            return Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.ReauthenticationRequired,
                "Deleting the account needs a recent sign-in: sign in again, then repeat the request.");
        }
        var user = await services.Db.Users.FirstOrDefaultAsync(u => u.Id == userId && u.DeletedAt == null, cancellationToken);
        if (user is null)
        {
            return Problems.NotFound();
        }

        await services.Blacklist.RevokeAllAsync(userId, services.Jwt.Value.AccessTokenLifetime);

        var now = services.Time.GetUtcNow();
        var liveTokens = await services.Db.RefreshTokens
            .Where(token => token.UserId == userId && token.RevokedAt == null)
            .ToListAsync(cancellationToken);
        foreach (var token in liveTokens)
        {
            token.RevokedAt = now;
            token.RevokedReason = DeletionRevokedReason;
        }
        user.DeletedAt = now;
        user.UpdatedAt = now;
        services.Db.AddIntegrationEvent(Topics.Users, userId.ToString(), new UserDeletionRequestedIntegrationEvent(userId, now));
        services.Audit.Record(AuditActions.AccountDeleted, userId, AuditTargets.User, userId,
            new { refreshTokensRevoked = liveTokens.Count });
        await services.Db.SaveChangesAsync(cancellationToken);

        services.Logger.LogInformation("User {UserId} asked for deletion; {Count} refresh token(s) revoked", userId, liveTokens.Count);
        return TypedResults.NoContent();
    }
}
