using FluentValidation;
using Kinder.Api.Infrastructure;

namespace Kinder.Api.Events;

/// <summary>The events lists' <c>limit</c>: 1 to <see cref="Paging.MaxLimit"/>, <see cref="Paging.DefaultLimit"/> when absent.</summary>
public static class PageSizeRule
{
    public static IRuleBuilderOptions<T, int?> ValidPageSize<T>(this IRuleBuilder<T, int?> rule) =>
        rule.Must(limit => (limit ?? Paging.DefaultLimit) is >= 1 and <= Paging.MaxLimit)
            .WithMessage($"The limit is between 1 and {Paging.MaxLimit}.");
}
