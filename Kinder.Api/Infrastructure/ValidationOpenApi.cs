using System.Globalization;
using FluentValidation;
using FluentValidation.Validators;
using Kinder.Core.Validation;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Kinder.Api.Infrastructure;

/// <summary>
/// Writes what a request's validator says into its OpenAPI schema — string lengths, number ranges, patterns — so the
/// document states the limits clients are held to, as it did when they were attributes. (Which members are required
/// the framework already says from the record's constructor.) Conditional rules are documented too: the schema
/// describes the limits, the validator decides when they apply.
/// </summary>
public static class ValidationOpenApi
{
    public static OpenApiOptions AddValidationSchemas(this OpenApiOptions options) =>
        options.AddSchemaTransformer(DescribeAsync);

    private static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken _)
    {
        if (schema.Properties is not { Count: > 0 } properties)
        {
            return Task.CompletedTask;
        }
        var validatorType = typeof(IValidator<>).MakeGenericType(context.JsonTypeInfo.Type);
        using var scope = context.ApplicationServices.CreateScope();
        if (scope.ServiceProvider.GetService(validatorType) is not IValidator validator)
        {
            return Task.CompletedTask;
        }

        foreach (var member in validator.CreateDescriptor().GetMembersWithValidators())
        {
            if (member.Key is null || !properties.TryGetValue(member.Key, out var property) || property is not OpenApiSchema target)
            {
                continue;
            }
            foreach (var (component, _) in member)
            {
                Describe(target, component);
            }
        }
        return Task.CompletedTask;
    }

    private static void Describe(OpenApiSchema property, IPropertyValidator component)
    {
        switch (component)
        {
            case ILengthValidator { Max: > 0 } length:
                property.MaxLength = length.Max;
                property.MinLength = length.Min;
                break;
            case IBetweenValidator { From: IConvertible from, To: IConvertible to } between
                when between.Name == "InclusiveBetweenValidator":
                property.Minimum = Number(from);
                property.Maximum = Number(to);
                break;
            case IComparisonValidator { Comparison: Comparison.GreaterThanOrEqual, ValueToCompare: IConvertible minimum }:
                property.Minimum = Number(minimum);
                break;
            case IMaxItemsValidator items:
                property.MaxItems = items.Max;
                break;
            case IRegularExpressionValidator pattern:
                property.Pattern = pattern.Expression;
                break;
        }
    }

    private static string Number(IConvertible value) => value.ToString(CultureInfo.InvariantCulture);
}
