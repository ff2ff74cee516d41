using FluentValidation;
using Kinder.Core.Validation;

namespace Kinder.Api.Infrastructure;

/// <summary>
/// Runs the validator of every endpoint argument that has one (body, <c>[AsParameters]</c> bundle, query object)
/// before the handler, and answers <c>400 VALIDATION_FAILED</c> with field-level errors. Added once, to the
/// <c>/api/v1</c> group; an endpoint with nothing to validate gets no filter.
/// </summary>
public static class ValidationFilter
{
    public static TBuilder ValidateArguments<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory(Create);

    private static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var services = context.ApplicationServices.GetRequiredService<IServiceProviderIsService>();
        var validated = context.MethodInfo.GetParameters()
            .Select((parameter, index) => (Index: index, Validator: typeof(IValidator<>).MakeGenericType(parameter.ParameterType)))
            .Where(candidate => services.IsService(candidate.Validator))
            .ToArray();
        if (validated.Length == 0)
        {
            return next;
        }

        return async invocation =>
        {
            var errors = new Dictionary<string, string[]>();
            foreach (var (index, validatorType) in validated)
            {
                if (invocation.Arguments[index] is not { } argument)
                {
                    continue;
                }
                var validator = (IValidator)invocation.HttpContext.RequestServices.GetRequiredService(validatorType);
                var result = await validator.ValidateAsync(new ValidationContext<object>(argument),
                    invocation.HttpContext.RequestAborted);
                foreach (var (field, messages) in result.ToFieldErrors())
                {
                    errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, .. messages] : messages;
                }
            }
            return errors.Count == 0 ? await next(invocation) : Problems.Validation(errors);
        };
    }
}
