using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Core.Http;

/// <summary>
/// Every error a Kinder host writes is <c>application/problem+json</c> with <c>code</c> and <c>traceId</c>
/// (docs/api/README.md, Conventions), whoever wrote it: a handler, the exception handler, status-code pages, authentication.
/// </summary>
public static class ProblemDetailsDefaults
{
    public const string CodeKey = "code";
    public const string TraceIdKey = "traceId";

    public static IServiceCollection AddKinderProblemDetailsDefaults(this IServiceCollection services) =>
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

    /// <summary>Writes a problem response outside an endpoint (authentication, rate limiting).</summary>
    public static async Task WriteAsync(HttpContext context, int status, string code, string title, string? detail = null,
        IDictionary<string, object?>? extensions = null)
    {
        context.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Extensions = { [CodeKey] = code },
        };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }
        var writer = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await writer.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
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
}
