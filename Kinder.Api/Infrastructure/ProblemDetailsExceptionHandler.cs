using System.Text.Json;
using Kinder.Core;
using Kinder.Core.Http;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Kinder.Api.Infrastructure;

/// <summary>
/// The one place exceptions become responses. Bad requests say what was wrong with the request; anything
/// else is a 500 whose body names no exception, SQL, stack or configuration — the log has those, under the traceId.
/// </summary>
public sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails,
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
        var (code, title, detail) = exception.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge =>
                (ErrorCodes.PayloadTooLarge, "The request body is too large.", "Send a smaller body."),
            StatusCodes.Status415UnsupportedMediaType =>
                (ErrorCodes.UnsupportedMediaType, "Unsupported media type.", "Send the body as application/json."),
            StatusCodes.Status400BadRequest when FindJsonError(exception) is { } json =>
                (ErrorCodes.MalformedRequest, "The request body is not valid JSON.", json.Message),
            StatusCodes.Status400BadRequest =>
                (ErrorCodes.MalformedRequest, "The request could not be read.", exception.Message),
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
