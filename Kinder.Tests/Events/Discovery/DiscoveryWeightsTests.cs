using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Kinder.Tests.Events.Discovery;

/// <summary>The Api with discovery weights that care only for distance (<c>Discovery:Weights:*</c>).</summary>
public sealed class DistanceOnlyApiFactory : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Discovery:Weights:Interest", "0");
        builder.UseSetting("Discovery:Weights:Availability", "0");
        builder.UseSetting("Discovery:Weights:Popularity", "0");
        builder.UseSetting("Discovery:Weights:Soon", "0");
        builder.UseSetting("Discovery:Weights:Affinity", "0");
        builder.UseSetting("Discovery:Weights:Distance", "10");
    }
}

/// <summary>The weights in configuration decide the order.</summary>
public sealed class DiscoveryWeightsTests(DistanceOnlyApiFactory distanceOnly, ApiFactory defaults)
    : IClassFixture<DistanceOnlyApiFactory>, IClassFixture<ApiFactory>
{
    [Fact]
    public async Task With_the_default_weights_a_liked_event_further_away_ranks_first()
    {
        var (liked, near, client) = await SceneAsync(defaults);

        Assert.Equal([liked, near], DiscoveryScene.Ids(await DiscoveryScene.FeedAsync(client)));
    }

    [Fact]
    public async Task With_only_distance_weighed_the_nearer_event_ranks_first()
    {
        var (liked, near, client) = await SceneAsync(distanceOnly);

        Assert.Equal([near, liked], DiscoveryScene.Ids(await DiscoveryScene.FeedAsync(client)));
    }

    private static async Task<(Guid Liked, Guid Near, HttpClient Client)> SceneAsync(ApiFactory api)
    {
        var scene = new DiscoveryScene(api);
        var (_, client) = await scene.UserAsync(interests: [EventsDriver.HikingCategory]);
        var starts = DateTimeOffset.UtcNow.AddDays(4);
        var liked = await scene.EventAsync("Liked hike, 12 km", kmEast: 12, startsAt: starts);
        var near = await scene.EventAsync("Cooking next door", kmEast: 0.5, category: DiscoveryScene.CookingCategory,
            startsAt: starts);
        return (liked, near, client);
    }
}
