using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Moderation;
using Kinder.Core.RateLimiting;
using Kinder.Core.Storage;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Identity;

/// <summary>What the auth endpoints need, bundled for <c>[AsParameters]</c> (parameters and properties pair by name and type).</summary>
public sealed class AuthServices(
    KinderDbContext db,
    SessionIssuer sessions,
    RefreshTokenService refreshTokens,
    RefreshTokenCookies cookies,
    PasswordHasher passwords,
    AccountTokenService accountTokens,
    AccountEmails emails,
    RedisRateLimiter rateLimiter,
    LoginThrottle loginThrottle,
    AccessTokenBlacklist blacklist,
    UserSecurityState securityState,
    AuditTrail audit,
    IOptions<JwtOptions> jwt,
    IOptions<AuthOptions> authOptions,
    IOptions<StorageOptions> storageOptions,
    TimeProvider time,
    ILogger<AuthServices> logger)
{
    public KinderDbContext Db { get; } = db;
    public SessionIssuer Sessions { get; } = sessions;
    public RefreshTokenService RefreshTokens { get; } = refreshTokens;
    public RefreshTokenCookies Cookies { get; } = cookies;
    public PasswordHasher Passwords { get; } = passwords;
    public AccountTokenService AccountTokens { get; } = accountTokens;
    public AccountEmails Emails { get; } = emails;
    public RedisRateLimiter RateLimiter { get; } = rateLimiter;
    public LoginThrottle LoginThrottle { get; } = loginThrottle;
    public AccessTokenBlacklist Blacklist { get; } = blacklist;
    public UserSecurityState SecurityState { get; } = securityState;
    public AuditTrail Audit { get; } = audit;
    public IOptions<JwtOptions> Jwt { get; } = jwt;
    public IOptions<AuthOptions> AuthOptions { get; } = authOptions;
    public IOptions<StorageOptions> StorageOptions { get; } = storageOptions;
    public TimeProvider Time { get; } = time;
    public ILogger<AuthServices> Logger { get; } = logger;

    public AuthOptions Options => AuthOptions.Value;
    public StorageOptions Storage => StorageOptions.Value;
}
