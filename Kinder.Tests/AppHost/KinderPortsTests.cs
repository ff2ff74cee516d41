using System.Globalization;
using System.Text.RegularExpressions;
using Kinder.AppHost;
using Kinder.Tests.EndToEnd;

namespace Kinder.Tests.AppHost;

public sealed partial class KinderPortsTests
{
    [Fact]
    public void Default_ports_are_distinct_below_picked_and_ephemeral_ports_and_apart_from_the_dashboards()
    {
        var defaults = typeof(KinderPorts).GetProperties()
            .Where(property => property.PropertyType == typeof(int))
            .ToDictionary(property => property.Name, property => (int)property.GetValue(new KinderPorts())!);
        var dashboard = DashboardPorts();

        Assert.Equal(11, defaults.Count);
        Assert.Equal(defaults.Count, defaults.Values.Distinct().Count());
        // Below 10000: apart from the ports DCP and LocalPorts pick (10000 and 20000 up) and from the kernel's
        // ephemeral ones, where an outgoing connection's local end could hold one when the broker or database binds it.
        Assert.All(defaults, pair => Assert.InRange(pair.Value, 1024, 9999));
        Assert.NotEmpty(dashboard);
        Assert.Empty(defaults.Values.Intersect(dashboard));
    }

    private static HashSet<int> DashboardPorts()
    {
        var path = Path.Combine(BuildOutput.RepositoryRoot, "Kinder.AppHost", "Properties", "launchSettings.json");
        return [.. Port().Matches(File.ReadAllText(path)).Select(match => int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))];
    }

    [GeneratedRegex(@"localhost:(\d+)")]
    private static partial Regex Port();
}
