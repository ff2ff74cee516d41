using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kinder.Core.PersonalData;

public static class PersonalDataRegistration
{
    /// <summary>Registers every <see cref="IPersonalDataSource"/> in Kinder.Core (scoped: they use the DbContext).</summary>
    public static IServiceCollection AddPersonalDataSources(this IServiceCollection services)
    {
        var sources = typeof(IPersonalDataSource).Assembly.GetTypes()
            .Where(type => type is { IsClass: true, IsAbstract: false } && typeof(IPersonalDataSource).IsAssignableFrom(type));
        foreach (var source in sources)
        {
            services.TryAddEnumerable(ServiceDescriptor.Scoped(typeof(IPersonalDataSource), source));
        }
        return services;
    }
}
