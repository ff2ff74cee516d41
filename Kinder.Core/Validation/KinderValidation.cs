using System.Reflection;
using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Core.Validation;

/// <summary>
/// Kinder validates input one way: a FluentValidation <see cref="AbstractValidator{T}"/> per request type, run by the
/// Api's validation filter for every endpoint argument that has one, and by the chat hub for what it receives
/// (docs/decisions/0009). Errors are keyed by the field as the client spells it (<c>location.latitude</c>,
/// <c>imageKeys[0]</c>).
/// </summary>
public static class KinderValidation
{
    /// <summary>
    /// Registers every validator in <paramref name="assembly"/>: one that takes nothing is built once (building a
    /// validator builds all its rules), one that takes services (the DbContext) once per scope.
    /// </summary>
    public static IServiceCollection AddKinderValidators(this IServiceCollection services, Assembly assembly)
    {
        UseClientFieldNames();
        foreach (var found in AssemblyScanner.FindValidatorsInAssembly(assembly, includeInternalTypes: true))
        {
            var lifetime = found.ValidatorType.GetConstructors().All(constructor => constructor.GetParameters().Length == 0)
                ? ServiceLifetime.Singleton
                : ServiceLifetime.Scoped;
            services.Add(new ServiceDescriptor(found.InterfaceType, found.ValidatorType, lifetime));
            services.Add(new ServiceDescriptor(found.ValidatorType, found.ValidatorType, lifetime));
        }
        return services;
    }

    /// <summary>Field names as JSON has them: camelCase at every level of the path.</summary>
    public static void UseClientFieldNames() =>
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);

    /// <summary>The <c>errors</c> object of a validation problem: field → messages.</summary>
    public static IDictionary<string, string[]> ToFieldErrors(this ValidationResult result) =>
        result.Errors
            .GroupBy(failure => failure.PropertyName)
            .ToDictionary(group => group.Key, group => group.Select(failure => failure.ErrorMessage).Distinct().ToArray());
}
