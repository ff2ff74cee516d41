using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.RateLimiting;
using Kinder.Core.Storage;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Identity;

/// <summary>What the auth endpoints need, bundled for <c>[AsParameters]</c>.</summary>
public sealed class AuthServices(
    KinderDbContext db,
    SessionIssuer sessions,
    RefreshTokenService refreshTokens,
    RefreshTokenCookies cookies,
    PasswordHasher passwords,
    AccountTokenService accountTokens,
    AccountEmails emails,
    RedisRateLimiter rateLimiter,
    AccessTokenBlacklist blacklist,
    IOptions<AuthOptions> options,
    IOptions<StorageOptions> storage,
    TimeProvider time,
    ILogger<AuthServices> logger)
{
    public KinderDbContext Db => db;
    public SessionIssuer Sessions => sessions;
    public RefreshTokenService RefreshTokens => refreshTokens;
    public RefreshTokenCookies Cookies => cookies;
    public PasswordHasher Passwords => passwords;
    public AccountTokenService AccountTokens => accountTokens;
    public AccountEmails Emails => emails;
    public RedisRateLimiter RateLimiter => rateLimiter;
    public AccessTokenBlacklist Blacklist => blacklist;
    public AuthOptions Options => options.Value;
    public StorageOptions Storage => storage.Value;
    public TimeProvider Time => time;
    public ILogger<AuthServices> Logger => logger;
}
