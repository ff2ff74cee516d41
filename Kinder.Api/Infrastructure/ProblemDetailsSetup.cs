using Kinder.Core;
using Kinder.Core.Http;
using Kinder.Core.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Infrastructure;

public static class ProblemDetailsSetup
{
    /// <summary>The shared problem-details defaults (Kinder.Core) plus the Api's one exception → problem mapper.</summary>
    public static IServiceCollection AddKinderProblemDetails(this IServiceCollection services)
    {
        services.AddKinderProblemDetailsDefaults();
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        return services;
    }

    /// <summary>Exception handler and status-code pages; first in the pipeline so they see everything.</summary>
    public static WebApplication UseKinderProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}

/// <summary>Problem results with a stable code, for handlers' <c>Results&lt;…&gt;</c> unions.</summary>
public static class Problems
{
    public static ProblemHttpResult Create(int status, string code, string? detail = null, string? title = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title,
            extensions: new Dictionary<string, object?> { [ProblemDetailsDefaults.CodeKey] = code });

    public static ProblemHttpResult NotFound(string? detail = null) =>
        Create(StatusCodes.Status404NotFound, ErrorCodes.NotFound, detail);

    /// <summary><c>401 ACCOUNT_SUSPENDED</c> with <c>until</c> (null: banned), as the bearer check answers it.</summary>
    public static ProblemHttpResult Suspended(DateTimeOffset? until)
    {
        var extensions = new Dictionary<string, object?>(Kinder.Core.Identity.SuspensionProblem.Extensions(until))
        {
            [ProblemDetailsDefaults.CodeKey] = ErrorCodes.AccountSuspended,
        };
        return TypedResults.Problem(detail: until is null ? "The account is banned." : $"The account is suspended until {until:O}.",
            statusCode: StatusCodes.Status401Unauthorized, extensions: extensions);
    }

    public static ProblemHttpResult Conflict(string code, string? detail = null) =>
        Create(StatusCodes.Status409Conflict, code, detail);

    /// <summary><c>429 RATE_LIMITED</c> with <c>Retry-After</c> for a refused <see cref="RedisRateLimiter"/> hit.</summary>
    public static ProblemHttpResult TooManyRequests(HttpContext httpContext, RateLimitDecision decision)
    {
        httpContext.Response.Headers.RetryAfter = decision.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Create(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
            $"Too many attempts; try again in {decision.RetryAfterSeconds} seconds.");
    }

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors,
            extensions: new Dictionary<string, object?> { [ProblemDetailsDefaults.CodeKey] = ErrorCodes.ValidationFailed });
}
