using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Infrastructure;

public sealed class RequestBodyOptions
{
    public const string SectionName = "Api:RequestBody";

    /// <summary>The largest JSON body accepted (1 MiB, docs/api/README.md). Upload endpoints raise their own limit.</summary>
    public long MaxBytes { get; set; } = 1024 * 1024;
}

public static class RequestBodyLimit
{
    /// <summary>
    /// Refuses a body over the limit with 413 before a handler reads it: at once from <c>Content-Length</c>,
    /// and for chunked bodies through the server's own limit, which stops the read part-way. Runs after routing.
    /// </summary>
    public static WebApplication UseRequestBodyLimit(this WebApplication app)
    {
        var limit = app.Services.GetRequiredService<IOptions<RequestBodyOptions>>().Value.MaxBytes;
        app.Use((context, next) =>
        {
            // Endpoints that declare their own limit (uploads) got it from routing already; leave them be.
            if (context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is null)
            {
                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                {
                    feature.MaxRequestBodySize = limit;
                }
                if (context.Request.ContentLength > limit)
                {
                    throw new BadHttpRequestException($"The request body is larger than {limit} bytes.",
                        StatusCodes.Status413PayloadTooLarge);
                }
            }
            return next(context);
        });
        return app;
    }
}
