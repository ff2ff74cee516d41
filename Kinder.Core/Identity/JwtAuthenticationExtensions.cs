using System.Security.Claims;
using Kinder.Core.Http;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using StackExchange.Redis;

namespace Kinder.Core.Identity;

public static class JwtAuthenticationExtensions
{
    /// <summary>The query parameter SignalR clients send the access token in (browsers' WebSockets take no header).</summary>
    public const string HubAccessTokenParameter = "access_token";

    /// <summary>
    /// Bearer authentication with our access tokens, the same in the Api and Realtime: signature, issuer, audience and
    /// lifetime checked; a <c>jti</c> on the logout blacklist, or a token issued before its user's cut-off (deletion,
    /// password reset, refresh-token reuse, Google link), refused (<c>TOKEN_REVOKED</c>); the verification and role
    /// claims replaced by the user's current ones (<see cref="UserSecurityState"/>); SignalR's
    /// <c>?access_token=</c> accepted on hub paths; failures answered as problem+json with a code.
    /// </summary>
    public static IHostApplicationBuilder AddKinderJwtAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<JwtOptions>()
            .BindConfiguration(JwtOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<AccessTokenBlacklist>();
        builder.Services.TryAddScoped<UserSecurityState>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>>((bearer, jwt) =>
            {
                bearer.MapInboundClaims = false;
                // Nothing reads the token back from the ticket; a hub connection would keep the copy while it lives.
                bearer.SaveToken = false;
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Value.Issuer,
                    ValidAudience = jwt.Value.Audience,
                    IssuerSigningKey = jwt.Value.SecurityKey(),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = KinderClaims.Name,
                    RoleClaimType = KinderClaims.Role,
                };
                bearer.Events = new JwtBearerEvents
                {
                    OnMessageReceived = ReadHubAccessToken,
                    OnTokenValidated = RefuseRevokedTokens,
                    OnChallenge = WriteChallengeProblem,
                };
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(KinderPolicies.VerifiedUser, policy => policy
                .RequireAuthenticatedUser()
                .RequireClaim(KinderClaims.EmailVerified, "true"))
            .AddPolicy(KinderPolicies.Admin, policy => policy
                .RequireAuthenticatedUser()
                .RequireRole(KinderRoles.Admin))
            .AddPolicy(KinderPolicies.Moderator, policy => policy
                .RequireAuthenticatedUser()
                .RequireRole(KinderRoles.Moderator, KinderRoles.Admin));
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return builder;
    }

    // WebSockets cannot carry an Authorization header from browsers, so SignalR clients send the token in the query.
    private static Task ReadHubAccessToken(MessageReceivedContext context)
    {
        if (IsHubRequest(context.HttpContext.Request) &&
            context.Request.Query.TryGetValue(HubAccessTokenParameter, out var token) && !string.IsNullOrEmpty(token))
        {
            context.Token = token;
        }
        return Task.CompletedTask;
    }

    private static async Task RefuseRevokedTokens(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        var tokenId = principal.FindFirst(KinderClaims.TokenId)?.Value;
        if (string.IsNullOrEmpty(tokenId))
        {
            context.Fail(new SecurityTokenValidationException("The access token has no jti."));
            return;
        }
        var services = context.HttpContext.RequestServices;
        // The revocation entries and the user's cached state in one round trip: every request pays it. A token without
        // a parsable sub can only be refused by its jti (ours always carry one).
        bool revoked;
        RedisValue? cachedState = null;
        if (Guid.TryParse(principal.FindFirst(KinderClaims.Subject)?.Value, out var userId))
        {
            var values = await services.GetRequiredService<IConnectionMultiplexer>().GetDatabase()
                .StringGetAsync([.. AccessTokenBlacklist.RevocationKeys(tokenId, userId), UserSecurityState.Key(userId)]);
            revoked = AccessTokenBlacklist.IsRevoked(values[0], values[1], AccessTokenBlacklist.IssuedAtMillisecondsOf(principal));
            cachedState = values[2];
        }
        else
        {
            revoked = await services.GetRequiredService<AccessTokenBlacklist>().IsRevokedAsync(tokenId);
        }
        // Verification and roles as they are now, not as they were when the token was issued. In a scope of its own:
        // a hub connection's request lasts as long as its WebSocket, and its scope would hold the leased DbContext (with
        // EF's per-context services, ~20 KB) for that long.
        await using (var scope = services.CreateAsyncScope())
        {
            var state = scope.ServiceProvider.GetRequiredService<UserSecurityState>();
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            if (revoked)
            {
                // A suspension also cut the user's tokens off: say why rather than only that they were revoked.
                var suspended = cachedState is { } cached ? await SuspensionAsync(state, userId, cached, now, context) : null;
                context.Fail(suspended is null ? new AccessTokenRevokedException() : new AccountSuspendedException(suspended));
                return;
            }
            var facts = await state.ApplyToAsync(principal, context.HttpContext.RequestAborted, cachedState);
            if (facts is not null && facts.IsSuspendedAt(now))
            {
                context.Fail(new AccountSuspendedException(facts));
                return;
            }
        }
        if (IsHubRequest(context.HttpContext.Request))
        {
            context.Principal = KinderClaims.ForHubConnection(principal);
        }
    }

    // Only for a revoked token: the facts are read (the database on a cache miss) to tell a suspension apart.
    private static async Task<UserSecurityState.Facts?> SuspensionAsync(UserSecurityState state, Guid userId,
        RedisValue cached, DateTimeOffset now, TokenValidatedContext context)
    {
        try
        {
            var facts = await state.GetAsync(userId, context.HttpContext.RequestAborted, cached);
            return facts is not null && facts.IsSuspendedAt(now) ? facts : null;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return null; // the token is refused all the same, as revoked
        }
    }

    private static bool IsHubRequest(HttpRequest request) => request.Path.StartsWithSegments("/hubs");

    private static async Task WriteChallengeProblem(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var (code, title) = context.AuthenticateFailure switch
        {
            SecurityTokenExpiredException => (ErrorCodes.TokenExpired, "The access token has expired."),
            AccessTokenRevokedException => (ErrorCodes.TokenRevoked, "The access token has been revoked."),
            AccountSuspendedException => (ErrorCodes.AccountSuspended, "The account is suspended."),
            not null => (ErrorCodes.Unauthorized, "The access token is not valid."),
            null => (ErrorCodes.Unauthorized, "Authentication is required."),
        };
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await ProblemDetailsDefaults.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, code, title,
            extensions: (context.AuthenticateFailure as AccountSuspendedException)?.Extensions());
    }
}

/// <summary>Thrown into authentication when a token's jti is on the blacklist (logout, deletion).</summary>
public sealed class AccessTokenRevokedException() : SecurityTokenValidationException("The access token has been revoked.");

/// <summary>Thrown into authentication when the token's user is suspended or banned (<c>ACCOUNT_SUSPENDED</c>).</summary>
public sealed class AccountSuspendedException(UserSecurityState.Facts facts)
    : SecurityTokenValidationException("The account is suspended.")
{
    /// <summary>What the problem says besides the code: the end of the suspension (<c>until</c>, absent for a ban), <c>banned</c>.</summary>
    public Dictionary<string, object?> Extensions() => SuspensionProblem.Extensions(facts.Banned ? null : facts.SuspendedUntil);
}

/// <summary>The extensions of an <c>ACCOUNT_SUSPENDED</c> problem, the same from the bearer check and from sign-in.</summary>
public static class SuspensionProblem
{
    public static Dictionary<string, object?> Extensions(DateTimeOffset? until) =>
        until is { } end ? new() { ["until"] = end, ["banned"] = false } : new() { ["banned"] = true };
}

/// <summary>403s as problem+json: <c>EMAIL_NOT_VERIFIED</c> when only verification is missing, else <c>FORBIDDEN</c>.</summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    // Passed on without awaiting: a hub connection's request stays in the pipeline for the connection's life, and an
    // awaiting frame here would be kept as long.
    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result) =>
        result.Forbidden ? WriteForbiddenAsync(context, result) : _default.HandleAsync(next, context, policy, result);

    private static async Task WriteForbiddenAsync(HttpContext context, PolicyAuthorizationResult result)
    {
        var unverified = result.AuthorizationFailure?.FailedRequirements
            .OfType<Microsoft.AspNetCore.Authorization.Infrastructure.ClaimsAuthorizationRequirement>()
            .Any(requirement => requirement.ClaimType == KinderClaims.EmailVerified) ?? false;
        if (unverified)
        {
            await ProblemDetailsDefaults.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.EmailNotVerified,
                "Verify your email address first.");
        }
        else
        {
            await ProblemDetailsDefaults.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden,
                "You are not allowed to do this.");
        }
    }
}
