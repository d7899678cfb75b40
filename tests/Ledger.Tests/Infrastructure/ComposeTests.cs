using Ledger.Infrastructure.Postgres;
using YamlDotNet.RepresentationModel;

namespace Ledger.Tests.Infrastructure;

/// <summary>The compose file's two-node profile, read where Docker cannot run it.</summary>
public sealed class ComposeTests
{
    [Fact]
    public void The_nodes_profile_runs_two_ledger_nodes_built_here_on_the_one_postgres()
    {
        var root = LedgerConnection.FindRepositoryRoot(AppContext.BaseDirectory);
        Assert.NotNull(root);
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(root, "docker-compose.yml")))
        {
            yaml.Load(reader);
        }

        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
        Assert.Contains(new YamlScalarNode("postgres"), services.Children.Keys);
        var nodes = services.Children
            .Where(s => s.Value is YamlMappingNode m && m.Children.TryGetValue("profiles", out var p) && ((YamlSequenceNode)p).Children.Contains(new YamlScalarNode("nodes")))
            .Select(s => (Name: ((YamlScalarNode)s.Key).Value, Service: (YamlMappingNode)s.Value))
            .ToList();
        Assert.Equal(2, nodes.Count);

        var ports = new HashSet<string>();
        foreach (var (name, service) in nodes)
        {
            Assert.Equal(".", ((YamlScalarNode)service["build"]).Value);
            var environment = (YamlMappingNode)service["environment"];
            Assert.Contains("Host=postgres;", ((YamlScalarNode)environment["LEDGER_CONNECTION"]).Value, StringComparison.Ordinal);
            var dependsOn = (YamlMappingNode)service["depends_on"];
            Assert.Equal("service_healthy", ((YamlScalarNode)((YamlMappingNode)dependsOn["postgres"])["condition"]).Value);
            var port = ((YamlScalarNode)((YamlSequenceNode)service["ports"]).Children.Single()).Value!;
            Assert.True(ports.Add(port.Split(':')[0]), $"{name} publishes a host port of its own");
        }

        var dockerfile = File.ReadAllText(Path.Combine(root, "Dockerfile"));
        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0", dockerfile, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", dockerfile, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"ledger.dll\", \"serve\"]", dockerfile, StringComparison.Ordinal);
    }
}
