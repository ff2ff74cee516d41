using System.Collections;
using FluentValidation;
using FluentValidation.Validators;

namespace Kinder.Core.Validation;

/// <summary>A list limit the OpenAPI document can state as <c>maxItems</c>.</summary>
public interface IMaxItemsValidator
{
    int Max { get; }
}

/// <summary>At most <see cref="Max"/> items in a list (FluentValidation has no such rule of its own).</summary>
public sealed class MaxItemsValidator<T, TCollection>(int max) : PropertyValidator<T, TCollection>, IMaxItemsValidator
    where TCollection : IEnumerable?
{
    public int Max { get; } = max;

    public override string Name => nameof(MaxItemsValidator<T, TCollection>);

    public override bool IsValid(ValidationContext<T> context, TCollection value) =>
        value is null || (value is ICollection collection ? collection.Count : value.Cast<object>().Count()) <= Max;

    protected override string GetDefaultMessageTemplate(string errorCode) => $"At most {Max} items.";
}

public static class MaxItemsRule
{
    public static IRuleBuilderOptions<T, TCollection> MaxItems<T, TCollection>(this IRuleBuilder<T, TCollection> rule, int max)
        where TCollection : IEnumerable? =>
        rule.SetValidator(new MaxItemsValidator<T, TCollection>(max));
}
