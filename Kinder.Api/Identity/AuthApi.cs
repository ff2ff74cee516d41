using System.Diagnostics;
using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Identity;
using Kinder.Core.Moderation;
using Kinder.Core.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kinder.Api.Identity;

/// <summary>Email-and-password accounts and sessions (docs/api/README.md, Auth).</summary>
public static class AuthApi
{
    private const string CookieModeNote =
        " Browsers add ?useCookies=true to receive the refresh token in an HttpOnly cookie instead of the body; the answer " +
        "then carries csrfToken, to be sent as the X-CSRF-Token header on cookie-authenticated refresh and logout.";

    // Rate-limit names: one counter family per limit in Redis.
    private const string FailedLoginLimit = "auth-login-failures";
    private const string FailedLoginPerAddressLimit = "auth-login-failures-per-address";
    private const string RegistrationLimit = "auth-registrations";
    private const string ForgotPasswordLimit = "auth-forgot-password";
    private const string VerificationEmailLimit = "auth-verification-emails";

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/auth").WithTags("Auth");

        group.MapPost("/register", Register)
            .WithName("Register")
            .WithSummary("Create an account with email and password, sign in, and mail a verification link." + CookieModeNote)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/login", Login)
            .WithName("Login")
            .WithSummary("Sign in with email and password. Five failures per email and address in 15 minutes lock further " +
                "attempts (429), as do 50 failures per address across accounts; after five failures in a row an account's " +
                "attempts from anywhere wait a delay that doubles up to 15 minutes (429 with Retry-After), until a success." +
                CookieModeNote)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/refresh", Refresh)
            .WithName("RefreshTokens")
            .WithSummary("Trade a refresh token (body, or the cookie plus the X-CSRF-Token header) for a new pair; the old " +
                "token is dead from then on, and presenting it again revokes the whole session (TOKEN_REVOKED).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPost("/logout", Logout)
            .WithName("Logout")
            .WithSummary("End the session: revokes the refresh token given (body, or the cookie plus the X-CSRF-Token " +
                "header) and the access token used, everywhere.")
            .RequireAuthorization()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/me", GetMe)
            .WithName("GetMe")
            .WithSummary("The signed-in user.")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/verify-email", VerifyEmail)
            .WithName("VerifyEmail")
            .WithSummary("Verify the email address with the token from the verification email (single use, 24 hours). " +
                "Counts at once, also for the access tokens the user already holds.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost("/resend-verification", ResendVerification)
            .WithName("ResendVerification")
            .WithSummary("Mail a new verification link to the signed-in user.")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/forgot-password", ForgotPassword)
            .WithName("ForgotPassword")
            .WithSummary("Mail a password-reset link (single use, 1 hour) if the address has an account. Answers the " +
                "same, in the same time, whether or not it does.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/reset-password", ResetPassword)
            .WithName("ResetPassword")
            .WithSummary("Set a new password with the token from the reset email; signs out every session of the user and " +
                "refuses every access token issued before it (TOKEN_REVOKED).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    public static async Task<Results<Created<AuthSessionResponse>, ProblemHttpResult>> Register(RegisterRequest request,
        [AsParameters] AuthServices services, HttpContext httpContext, [FromQuery] bool? useCookies,
        CancellationToken cancellationToken)
    {
        var limit = await services.RateLimiter.HitAsync(RegistrationLimit, ClientAddress(httpContext),
            services.Options.RateLimits.Registrations);
        if (!limit.IsAllowed)
        {
            return Problems.TooManyRequests(httpContext, limit);
        }

        var email = request.Email.Trim();
        if (await services.Db.Users.AnyAsync(u => u.Email == email, cancellationToken))
        {
            return EmailTaken();
        }
        var user = new User
        {
            Email = email,
            DisplayName = request.DisplayName.Trim(),
            PasswordHash = services.Passwords.Hash(request.Password),
        };
        services.Db.Users.Add(user);
        var tokenId = services.AccountTokens.Issue(user.Id, AccountTokenPurpose.EmailVerification);
        services.Emails.QueueVerification(user, tokenId, Core.Email.EmailTemplates.WelcomeVerify);

        AuthSessionResponse session;
        try
        {
            session = await services.Sessions.StartAsync(user, cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException
        {
            SqlState: PostgresErrorCodes.UniqueViolation
        })
        {
            return EmailTaken(); // the same address signed up between our check and our insert
        }
        services.Logger.LogInformation("Registered user {UserId}", user.Id);
        return TypedResults.Created($"/api/v1/users/{user.Id}",
            services.Cookies.ForClient(httpContext.Response, session, useCookies ?? false));
    }

    public static async Task<Results<Ok<AuthSessionResponse>, ProblemHttpResult>> Login(LoginRequest request,
        [AsParameters] AuthServices services, HttpContext httpContext, [FromQuery] bool? useCookies,
        CancellationToken cancellationToken)
    {
        var email = request.Email.Trim();
        var address = ClientAddress(httpContext);
        // Every limit counts before checking, so concurrent guesses cannot slip past it; a success takes its hits back.
        // Per address across accounts (one address spraying many), per account and address, then per account from
        // anywhere with growing delays (many addresses guessing one).
        var perAddress = await services.RateLimiter.HitAsync(FailedLoginPerAddressLimit, address,
            services.Options.RateLimits.FailedLoginsPerAddress);
        if (!perAddress.IsAllowed)
        {
            return Problems.TooManyRequests(httpContext, perAddress);
        }
        var partition = $"{LoginThrottle.Normalize(email)}|{address}";
        var limit = await services.RateLimiter.HitAsync(FailedLoginLimit, partition, services.Options.RateLimits.FailedLogins);
        if (!limit.IsAllowed)
        {
            return Problems.TooManyRequests(httpContext, limit);
        }
        if (await services.LoginThrottle.AttemptAsync(email) is { } wait)
        {
            return Problems.TooManyRequests(httpContext, new RateLimitDecision(false, 0, wait));
        }

        var user = await services.Db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email, cancellationToken);
        // Unknown address, wrong password, closed account: one answer, after the same bcrypt work.
        if (!services.Passwords.Verify(request.Password, user?.PasswordHash) || user is null || user.DeletedAt is not null)
        {
            services.Audit.Record(AuditActions.SignInFailed, user?.Id, AuditTargets.User, user?.Id, new { email });
            await services.Db.SaveChangesAsync(cancellationToken);
            return Problems.Create(StatusCodes.Status401Unauthorized, ErrorCodes.InvalidCredentials,
                "The email or password is not correct.");
        }
        // The right password, a suspended account: say so, with the end date (a wrong password says nothing of it).
        if (user.BannedAt is not null || user.SuspendedUntil > services.Time.GetUtcNow())
        {
            services.Audit.Record(AuditActions.SignInRefusedSuspended, user.Id, AuditTargets.User, user.Id);
            await services.Db.SaveChangesAsync(cancellationToken);
            return Problems.Suspended(user.BannedAt is null ? user.SuspendedUntil : null);
        }
        await services.RateLimiter.UndoAsync(FailedLoginPerAddressLimit, address);
        await services.RateLimiter.UndoAsync(FailedLoginLimit, partition);
        await services.LoginThrottle.SucceededAsync(email);

        // Committed with the session's refresh token (StartAsync saves).
        services.Audit.Record(AuditActions.SignIn, user.Id, AuditTargets.User, user.Id, new { method = "password" });
        var session = await services.Sessions.StartAsync(user, cancellationToken);
        return TypedResults.Ok(services.Cookies.ForClient(httpContext.Response, session, useCookies ?? false));
    }

    public static async Task<Results<Ok<TokenPairResponse>, ProblemHttpResult>> Refresh(RefreshRequest? request,
        [AsParameters] AuthServices services, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var (value, fromCookie) = RefreshTokenFrom(request?.RefreshToken, httpContext.Request);
        if (value is null)
        {
            return Problems.Create(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized,
                "Send the refresh token in the body, or its cookie.");
        }
        if (fromCookie && !RefreshTokenCookies.HasMatchingCsrfToken(httpContext.Request))
        {
            return CsrfMismatch();
        }

        var (outcome, tokens) = await services.RefreshTokens.RotateAsync(value, cancellationToken);
        if (outcome != RefreshOutcome.Rotated && fromCookie)
        {
            RefreshTokenCookies.Clear(httpContext.Response);
        }
        return outcome switch
        {
            RefreshOutcome.Rotated => TypedResults.Ok(services.Cookies.ForClient(httpContext.Response, tokens!, fromCookie)),
            RefreshOutcome.Expired => Problems.Create(StatusCodes.Status401Unauthorized, ErrorCodes.TokenExpired,
                "The refresh token has expired; sign in again."),
            RefreshOutcome.Revoked => Problems.Create(StatusCodes.Status401Unauthorized, ErrorCodes.TokenRevoked,
                "The refresh token has been revoked; sign in again."),
            _ => Problems.Create(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, "The refresh token is not valid."),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Logout(LogoutRequest? request,
        [AsParameters] AuthServices services, HttpContext httpContext, ClaimsPrincipal principal,
        CancellationToken cancellationToken)
    {
        var (value, fromCookie) = RefreshTokenFrom(request?.RefreshToken, httpContext.Request);
        if (fromCookie && !RefreshTokenCookies.HasMatchingCsrfToken(httpContext.Request))
        {
            return CsrfMismatch();
        }
        if (value is not null)
        {
            await services.RefreshTokens.RevokeFamilyOfAsync(value, principal.GetUserId(), RevocationReasons.Logout,
                cancellationToken);
        }
        await services.Blacklist.RevokeAsync(principal.FindFirstValue(KinderClaims.TokenId)!, AccessTokenExpiry(principal, services));
        services.Audit.Record(AuditActions.Logout, principal.GetUserId(), AuditTargets.User, principal.GetUserId(),
            new { refreshTokenRevoked = value is not null });
        await services.Db.SaveChangesAsync(cancellationToken);
        RefreshTokenCookies.Clear(httpContext.Response);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetMe(ClaimsPrincipal principal,
        [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var user = await services.Db.Users.AsNoTracking()
            .FirstOrDefaultAsync(u => u.Id == userId && u.DeletedAt == null, cancellationToken);
        return user is null ? Problems.NotFound() : TypedResults.Ok(UserResponse.From(user, services.Storage));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> VerifyEmail(VerifyEmailRequest request,
        [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var verifiedUserId = Guid.Empty;
        var problem = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var (check, userId) = await services.AccountTokens.ConsumeAsync(request.Token,
                AccountTokenPurpose.EmailVerification, cancellationToken);
            var user = check == AccountTokenCheck.Valid
                ? await db.Users.FirstOrDefaultAsync(u => u.Id == userId && u.DeletedAt == null, cancellationToken)
                : null;
            if (user is null)
            {
                return TokenProblem(check == AccountTokenCheck.Valid ? AccountTokenCheck.Unknown : check);
            }
            verifiedUserId = user.Id;
            if (!user.EmailVerified)
            {
                user.EmailVerified = true;
                user.EmailVerifiedAt = services.Time.GetUtcNow();
                user.UpdatedAt = services.Time.GetUtcNow();
            }
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        });
        if (problem is not null)
        {
            return problem;
        }
        // The access token the user already holds is verified from now on (docs/api/README.md, Auth).
        await services.SecurityState.InvalidateAsync(verifiedUserId, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> ResendVerification(ClaimsPrincipal principal,
        [AsParameters] AuthServices services, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var user = await services.Db.Users.AsNoTracking()
            .FirstOrDefaultAsync(u => u.Id == userId && u.DeletedAt == null, cancellationToken);
        if (user is null)
        {
            return Problems.NotFound();
        }
        if (user.EmailVerified)
        {
            return Problems.Conflict(ErrorCodes.EmailAlreadyVerified, "The email address is already verified.");
        }
        var limit = await services.RateLimiter.HitAsync(VerificationEmailLimit, user.Id.ToString(),
            services.Options.RateLimits.VerificationEmails);
        if (!limit.IsAllowed)
        {
            return Problems.TooManyRequests(httpContext, limit);
        }

        var tokenId = services.AccountTokens.Issue(user.Id, AccountTokenPurpose.EmailVerification);
        services.Emails.QueueVerification(user, tokenId, Core.Email.EmailTemplates.VerifyEmail);
        await services.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> ForgotPassword(ForgotPasswordRequest request,
        [AsParameters] AuthServices services, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var limit = await services.RateLimiter.HitAsync(ForgotPasswordLimit, ClientAddress(httpContext),
            services.Options.RateLimits.ForgotPasswords);
        if (!limit.IsAllowed)
        {
            return Problems.TooManyRequests(httpContext, limit);
        }

        var email = request.Email.Trim();
        var user = await services.Db.Users.AsNoTracking()
            .FirstOrDefaultAsync(u => u.Email == email && u.DeletedAt == null, cancellationToken);
        if (user is not null)
        {
            var tokenId = services.AccountTokens.Issue(user.Id, AccountTokenPurpose.PasswordReset);
            services.Emails.QueuePasswordReset(user, tokenId);
            await services.Db.SaveChangesAsync(cancellationToken);
        }

        // Whatever happened above, answer no sooner than the fixed minimum: the time says nothing about the address.
        // Timers may fire a little early, so wait until the minimum has really passed.
        for (var remaining = services.Options.ForgotPasswordMinimumDuration - Stopwatch.GetElapsedTime(started);
             remaining > TimeSpan.Zero;
             remaining = services.Options.ForgotPasswordMinimumDuration - Stopwatch.GetElapsedTime(started))
        {
            await Task.Delay(remaining + TimeSpan.FromMilliseconds(2), services.Time, cancellationToken);
        }
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ResetPassword(ResetPasswordRequest request,
        [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var resetUserId = Guid.Empty;
        var problem = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var (check, userId) = await services.AccountTokens.ConsumeAsync(request.Token,
                AccountTokenPurpose.PasswordReset, cancellationToken);
            var user = check == AccountTokenCheck.Valid
                ? await db.Users.FirstOrDefaultAsync(u => u.Id == userId && u.DeletedAt == null, cancellationToken)
                : null;
            if (user is null)
            {
                return TokenProblem(check == AccountTokenCheck.Valid ? AccountTokenCheck.Unknown : check);
            }
            user.PasswordHash = services.Passwords.Hash(request.NewPassword);
            // The reset link went to the address, so whoever followed it controls the address.
            user.EmailVerified = true;
            user.EmailVerifiedAt ??= services.Time.GetUtcNow();
            user.UpdatedAt = services.Time.GetUtcNow();
            await services.AccountTokens.RetireOutstandingAsync(user.Id, AccountTokenPurpose.PasswordReset, cancellationToken);
            await services.RefreshTokens.RevokeAllAsync(user.Id, RevocationReasons.PasswordReset, cancellationToken);
            // Every access token issued until now too, here and on the hub. Before the commit: should it fail, the
            // user lost only their access tokens, and the link still works.
            await services.Blacklist.RevokeAllAsync(user.Id, services.Jwt.Value.AccessTokenLifetime);
            resetUserId = user.Id;
            services.Emails.QueuePasswordChanged(user);
            services.Audit.Record(AuditActions.PasswordReset, user.Id, AuditTargets.User, user.Id);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        });
        if (problem is not null)
        {
            return problem;
        }
        await services.SecurityState.InvalidateAsync(resetUserId, cancellationToken); // the reset verified the email
        services.Logger.LogInformation("Password reset; every session of the user revoked");
        return TypedResults.NoContent();
    }

    private static (string? Value, bool FromCookie) RefreshTokenFrom(string? body, HttpRequest request) =>
        !string.IsNullOrEmpty(body)
            ? (body, false)
            : RefreshTokenCookies.ReadRefreshToken(request) is { } cookie ? (cookie, true) : (null, false);

    // Where the request came from: the socket's address, or, behind a configured proxy, the client it forwarded
    // (ForwardedHeadersSetup).
    private static string ClientAddress(HttpContext httpContext) =>
        httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static DateTimeOffset AccessTokenExpiry(ClaimsPrincipal principal, AuthServices services) =>
        long.TryParse(principal.FindFirstValue("exp"), out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : services.Time.GetUtcNow() + TimeSpan.FromHours(1);

    private static ProblemHttpResult EmailTaken() =>
        Problems.Conflict(ErrorCodes.EmailAlreadyExists, "An account with this email address already exists.");

    private static ProblemHttpResult CsrfMismatch() =>
        Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.CsrfTokenMismatch,
            $"A request authenticated by the refresh-token cookie must repeat the {RefreshTokenCookies.CsrfCookie} cookie " +
            $"in the {RefreshTokenCookies.CsrfHeader} header.");

    private static ProblemHttpResult TokenProblem(AccountTokenCheck check) => check switch
    {
        AccountTokenCheck.Expired => Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.ExpiredToken,
            "The link has expired; ask for a new one."),
        AccountTokenCheck.AlreadyUsed => Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.TokenAlreadyUsed,
            "The link has already been used."),
        _ => Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidToken, "The token is not valid."),
    };
}
