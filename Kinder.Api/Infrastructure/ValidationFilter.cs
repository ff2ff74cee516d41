using System.IO.Pipelines;
using System.Reflection;
using System.Security.Claims;
using FluentValidation;
using Kinder.Core.Validation;
using Microsoft.AspNetCore.Mvc;

namespace Kinder.Api.Infrastructure;

/// <summary>
/// Runs, before the handler, the checks every request gets (<see cref="SafeText"/>: no control characters or unpaired
/// surrogates in any text the client sent, whatever the endpoint) and the validator of every endpoint argument that has
/// one (body, <c>[AsParameters]</c> bundle, query object), and answers <c>400 VALIDATION_FAILED</c> with field-level
/// errors. Added once, to the <c>/api/v1</c> group; an endpoint with nothing the client sent gets no filter.
/// </summary>
public static class ValidationFilter
{
    public static TBuilder ValidateArguments<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory(Create);

    private static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var services = context.ApplicationServices.GetRequiredService<IServiceProviderIsService>();
        var arguments = context.MethodInfo.GetParameters()
            .Select((parameter, index) => (Index: index, Parameter: parameter))
            .Where(candidate => IsFromRequest(candidate.Parameter, services))
            .Select(candidate =>
            {
                var validator = typeof(IValidator<>).MakeGenericType(candidate.Parameter.ParameterType);
                return (candidate.Index, Name: TextName(candidate.Parameter),
                    Validator: services.IsService(validator) ? validator : null);
            })
            .ToArray();
        if (arguments.Length == 0)
        {
            return next;
        }

        return async invocation =>
        {
            var errors = new Dictionary<string, string[]>();
            foreach (var (index, name, _) in arguments)
            {
                Merge(errors, SafeText.Find(invocation.Arguments[index], name));
            }
            // Validators may read the database with what the client sent: only with text that can go there.
            if (errors.Count > 0)
            {
                return Problems.Validation(errors);
            }
            foreach (var (index, _, validatorType) in arguments)
            {
                if (validatorType is null || invocation.Arguments[index] is not { } argument)
                {
                    continue;
                }
                var validator = (IValidator)invocation.HttpContext.RequestServices.GetRequiredService(validatorType);
                var result = await validator.ValidateAsync(new ValidationContext<object>(argument),
                    invocation.HttpContext.RequestAborted);
                Merge(errors, result.ToFieldErrors());
            }
            return errors.Count == 0 ? await next(invocation) : Problems.Validation(errors);
        };
    }

    private static void Merge(Dictionary<string, string[]> errors, IDictionary<string, string[]> more)
    {
        foreach (var (field, messages) in more)
        {
            errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, .. messages] : messages;
        }
    }

    /// <summary>Bound from the route, query, headers or body — not a service or the framework's own objects.</summary>
    private static bool IsFromRequest(ParameterInfo parameter, IServiceProviderIsService services)
    {
        var type = parameter.ParameterType;
        return parameter.GetCustomAttribute<FromServicesAttribute>() is null
            && parameter.GetCustomAttribute<FromKeyedServicesAttribute>() is null
            && !services.IsService(type)
            && type != typeof(HttpContext) && type != typeof(HttpRequest) && type != typeof(HttpResponse)
            && type != typeof(ClaimsPrincipal) && type != typeof(CancellationToken)
            && type != typeof(Stream) && type != typeof(PipeReader)
            && !typeof(IFormFile).IsAssignableFrom(type) && !typeof(IFormFileCollection).IsAssignableFrom(type);
    }

    /// <summary>
    /// How errors name the argument's own text: a body or <c>[AsParameters]</c> bundle by its members only, a route or
    /// query value by its name as the client spells it.
    /// </summary>
    private static string TextName(ParameterInfo parameter) =>
        parameter.ParameterType == typeof(string)
            ? parameter.GetCustomAttribute<FromQueryAttribute>()?.Name
              ?? parameter.GetCustomAttribute<FromRouteAttribute>()?.Name
              ?? parameter.GetCustomAttribute<FromHeaderAttribute>()?.Name
              ?? parameter.Name ?? ""
            : "";
}
