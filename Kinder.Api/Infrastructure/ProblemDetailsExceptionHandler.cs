using System.Text.Json;
using System.Text.RegularExpressions;
using Kinder.Core;
using Kinder.Core.Http;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Kinder.Api.Infrastructure;

/// <summary>
/// The one place exceptions become responses. Bad requests say what was wrong with the request; anything
/// else is a 500 whose body names no exception, SQL, stack or configuration — the log has those, under the traceId.
/// </summary>
public sealed partial class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails,
    ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException badRequest => FromBadRequest(badRequest),
            Confluent.Kafka.KafkaException => MessagingUnavailable(httpContext),
            _ => null,
        };

        if (problem is null)
        {
            logger.LogError(exception, "Unhandled exception on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "An unexpected error occurred.",
                Detail = "The server could not complete the request. Quote the traceId if you report it.",
                Extensions = { [ProblemDetailsDefaults.CodeKey] = ErrorCodes.InternalError },
            };
        }
        else
        {
            logger.LogInformation("Rejected {Method} {Path}: {Status} {Reason}", httpContext.Request.Method,
                httpContext.Request.Path, problem.Status, exception.Message);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException exception)
    {
        // The framework's messages name .NET types and parameters ("…could not be converted to Kinder.Api…"); none
        // of them reaches the client. What the client can act on is the field, named as it sent it.
        if (exception.StatusCode == StatusCodes.Status400BadRequest)
        {
            if (FindJsonError(exception) is { } json)
            {
                return FromJson(json);
            }
            if (BindingFailure().Match(exception.Message) is { Success: true } binding)
            {
                return Validation(JsonNamingPolicy.CamelCase.ConvertName(binding.Groups["name"].Value),
                    binding.Groups["kind"].Value == "Failed to bind" ? "Not a valid value." : "Required.");
            }
        }
        var (code, title, detail) = exception.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge =>
                (ErrorCodes.PayloadTooLarge, "The request body is too large.", "Send a smaller body."),
            StatusCodes.Status415UnsupportedMediaType =>
                (ErrorCodes.UnsupportedMediaType, "Unsupported media type.", "Send the body as application/json."),
            StatusCodes.Status400BadRequest when exception.Message.Contains("from body", StringComparison.Ordinal) =>
                (ErrorCodes.MalformedRequest, "The request body is missing.", "Send a JSON object as the body."),
            StatusCodes.Status400BadRequest =>
                (ErrorCodes.MalformedRequest, "The request could not be read.", "Check the request's parameters and body."),
            _ => (ErrorCodes.ForStatus(exception.StatusCode), "The request could not be processed.", null),
        };
        return new ProblemDetails
        {
            Status = exception.StatusCode,
            Title = title,
            Detail = detail,
            Extensions = { [ProblemDetailsDefaults.CodeKey] = code },
        };
    }

    /// <summary>Kafka did not take a record in time (the producer's delivery timeout, seconds): the client may retry.</summary>
    private static ProblemDetails MessagingUnavailable(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = MessagingRetryAfterSeconds;
        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The service is temporarily unavailable.",
            Detail = $"It could not take the request just now; try again in {MessagingRetryAfterSeconds} seconds.",
            Extensions = { [ProblemDetailsDefaults.CodeKey] = ErrorCodes.ServiceUnavailable },
        };
    }

    private const string MessagingRetryAfterSeconds = "5";

    /// <summary>
    /// Text that is not JSON is <c>MALFORMED_REQUEST</c>; JSON whose value does not fit the field (a number for a date, an
    /// array for an object) is <c>VALIDATION_FAILED</c> on that field, <c>$.location.latitude</c> → <c>location.latitude</c>.
    /// </summary>
    private static ProblemDetails FromJson(JsonException json)
    {
        // The reader's own exception (bad syntax) is a subtype, or the serializer's wrapper of one.
        var syntax = json.GetType() != typeof(JsonException) || json.InnerException is JsonException;
        if (syntax)
        {
            var at = json.LineNumber is { } line && json.BytePositionInLine is { } position
                ? $" (line {line + 1}, byte {position + 1})"
                : "";
            return new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request body is not valid JSON.",
                Detail = $"The body could not be parsed as JSON{at}.",
                Extensions = { [ProblemDetailsDefaults.CodeKey] = ErrorCodes.MalformedRequest },
            };
        }
        return Validation(FieldOf(json.Path), "The value has the wrong type or format.");
    }

    /// <summary><c>$.imageKeys[0]</c> → <c>imageKeys[0]</c>; the body itself is <c>body</c>.</summary>
    private static string FieldOf(string? path)
    {
        var field = (path ?? "$").TrimStart('$').TrimStart('.');
        return field.Length == 0 ? "body" : field.Replace("['", ".", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal);
    }

    private static HttpValidationProblemDetails Validation(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Extensions = { [ProblemDetailsDefaults.CodeKey] = ErrorCodes.ValidationFailed },
        };

    /// <summary>The framework's "Failed to bind parameter "int? Limit" from "x"." and "Required parameter "…" was not provided from query string.".</summary>
    [GeneratedRegex("^(?<kind>Failed to bind|Required) parameter \"[^\"]*?(?<name>[A-Za-z_][A-Za-z0-9_]*)\" (?:from \"|was not provided from (?!body))")]
    private static partial Regex BindingFailure();

    private static JsonException? FindJsonError(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                return json;
            }
        }
        return null;
    }
}
