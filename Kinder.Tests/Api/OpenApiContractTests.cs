using System.Text.Json;
using System.Text.Json.Nodes;
using Kinder.Tests.EndToEnd;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Api;

/// <summary>
/// The contract clients are written against is docs/api/openapi.v1.json, and the Api serves exactly it: a change to
/// the document is a change to that file, reviewed with the code. KINDER_WRITE_OPENAPI=1 rewrites the file instead.
/// </summary>
public sealed class OpenApiContractTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public async Task The_served_document_is_the_committed_contract()
    {
        var served = Normalize(await api.CreateClient().GetStringAsync("/openapi/v1.json"));
        var path = Path.Combine(BuildOutput.RepositoryRoot, "docs", "api", "openapi.v1.json");
        if (Environment.GetEnvironmentVariable("KINDER_WRITE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, served + "\n");
        }

        Assert.Equal(Normalize(await File.ReadAllTextAsync(path)), served);
    }

    private static string Normalize(string json) => JsonNode.Parse(json)!.ToJsonString(Indented);
}
