using System.Diagnostics;
using System.Text.Json;
using Kinder.Core;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Infrastructure;

public static class ProblemDetailsSetup
{
    public const string CodeKey = "code";
    public const string TraceIdKey = "traceId";

    /// <summary>
    /// Every error leaves as <c>application/problem+json</c> with <c>code</c> and <c>traceId</c>, whoever wrote it:
    /// a handler's typed result, the exception handler, status-code pages (unknown route) or validation.
    /// </summary>
    public static IServiceCollection AddKinderProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Instance ??= context.HttpContext.Request.Path;
            // The bare trace id is what logs and tracing UIs show, so a user can quote it to us.
            problem.Extensions[TraceIdKey] = Activity.Current?.TraceId.ToHexString() ?? context.HttpContext.TraceIdentifier;
            if (problem is HttpValidationProblemDetails validation)
            {
                CamelCaseFieldNames(validation.Errors);
            }
            if (!problem.Extensions.ContainsKey(CodeKey))
            {
                problem.Extensions[CodeKey] = problem is HttpValidationProblemDetails
                    ? ErrorCodes.ValidationFailed
                    : ErrorCodes.ForStatus(problem.Status);
            }
        });
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        return services;
    }

    /// <summary>Field names in <c>errors</c> as the client sent them (<c>location.latitude</c>), not as C# spells them.</summary>
    private static void CamelCaseFieldNames(IDictionary<string, string[]> errors)
    {
        foreach (var field in errors.Keys.ToList())
        {
            var camel = string.Join('.', field.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
            if (camel != field)
            {
                errors[camel] = errors.TryGetValue(camel, out var existing) ? [.. existing, .. errors[field]] : errors[field];
                errors.Remove(field);
            }
        }
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
            extensions: new Dictionary<string, object?> { [ProblemDetailsSetup.CodeKey] = code });

    public static ProblemHttpResult NotFound(string? detail = null) =>
        Create(StatusCodes.Status404NotFound, ErrorCodes.NotFound, detail);

    public static ProblemHttpResult Conflict(string code, string? detail = null) =>
        Create(StatusCodes.Status409Conflict, code, detail);

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors,
            extensions: new Dictionary<string, object?> { [ProblemDetailsSetup.CodeKey] = ErrorCodes.ValidationFailed });
}
