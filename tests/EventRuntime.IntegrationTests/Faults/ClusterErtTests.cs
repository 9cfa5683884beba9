using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Faults;

// ert given a cluster's nodes: the first one it would try is down.
[Collection(ClusterCollection.Name)]
public sealed class ClusterErtTests(RabbitMqCluster cluster)
{
    [Fact]
    public async Task Ert_stop_connects_to_the_next_node_when_the_first_is_down_and_gets_the_outcome()
    {
        await using var sandbox = new RuncSandbox();
        await sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);
        var node = "ert-" + Guid.NewGuid().ToString("N")[..8];
        await using var agent = await NodeAgent.StartAsync(node, sandbox, cluster.AmqpUri, ClusterStorm.AgentSettings(cluster));
        await cluster.KillAsync(0);
        try
        {
            var (exitCode, output) = await ExternalTool.RunAsync(TimeSpan.FromMinutes(3), Ert, "stop", "--node", node, "--timeout", "5", "web",
                "--rabbitmq", cluster.AmqpUri.ToString(), "--cluster-nodes", string.Join(',', cluster.HostPorts));

            Assert.True(exitCode == 0, output);
            Assert.Matches(@"(?m)^web +stopped ", output);
            Assert.Equal(RuntimeStatus.Stopped, (await sandbox.StateAsync("web")).Status);
        }
        finally
        {
            await cluster.StartAsync(0);
        }
    }

    // Built beside the tests, in their configuration (bin/<Configuration>/net10.0).
    private static string Ert
    {
        get
        {
            var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
            var path = Path.Combine(Repository.Root, "src", "EventRuntime.Cli", "bin", testBin.Parent!.Name, testBin.Name, "ert");
            return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build the solution in {testBin.Parent.Name}");
        }
    }
}
