using System.Text.Json.Nodes;
using EventRuntime.Broker.Cluster;
using EventRuntime.Client;
using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Bus;

/// <summary>
/// On a cluster the broker definitions, add-node.sh and the agent declare the command queues as quorum queues; a
/// queue declared with one type cannot be declared with another, so an agent only starts when they agree.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterDefinitionsTests(RabbitMqCluster cluster)
{
    private static string QuorumDefinitionsPath => Path.Combine(Repository.Root, "infra", "rabbitmq", "definitions-quorum.json");

    [Fact]
    public async Task The_quorum_definitions_are_the_definitions_with_every_queue_but_the_roster_stream_a_quorum_queue()
    {
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(SecuredRabbitMqBroker.DefinitionsPath))!;
        foreach (var queue in expected["queues"]!.AsArray())
        {
            // The roster is a stream on a cluster too: streams are replicated, and a queue cannot be both.
            if (queue!["arguments"]!["x-queue-type"]?.GetValue<string>() != "stream")
            {
                queue["arguments"]!["x-queue-type"] = "quorum";
            }
        }

        var actual = JsonNode.Parse(await File.ReadAllTextAsync(QuorumDefinitionsPath))!;

        Assert.Contains(actual["queues"]!.AsArray(), queue => queue!["name"]!.GetValue<string>() == "eventruntime-roster" && queue["arguments"]!["x-queue-type"]!.GetValue<string>() == "stream");
        Assert.True(JsonNode.DeepEquals(expected, actual), "infra/rabbitmq/definitions-quorum.json is out of date: run infra/rabbitmq/quorum-definitions.sh");
    }

    [Fact]
    public async Task An_agent_with_quorum_queues_starts_on_the_queue_add_node_declared_and_stops_through_it()
    {
        await cluster.ImportDefinitionsAsync(0, QuorumDefinitionsPath);
        var node = "quorum-" + Guid.NewGuid().ToString("N")[..8];
        var user = SecuredRabbitMqBroker.NodeUser(node);
        var (exitCode, output) = await AddNodeScript.RunAsync(cluster.Container(0), node, user.Password, "quorum");
        Assert.True(exitCode == 0, output);
        Assert.Contains("a quorum queue", output, StringComparison.Ordinal);

        var types = await cluster.CtlAsync(1, "-q", "list_queues", "-p", SecuredRabbitMqBroker.VirtualHost, "name", "type", "--no-table-headers");
        Assert.Contains($"eventruntime-node-{node}\tquorum", types, StringComparison.Ordinal);
        Assert.Contains("eventruntime-node-alpha\tquorum", types, StringComparison.Ordinal);

        await using var sandbox = new RuncSandbox();
        await sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);
        var nodes = string.Join(',', cluster.HostPorts);
        await using var agent = await NodeAgent.StartAsync(node, sandbox, UriFor(user), new Dictionary<string, string?>
        {
            ["RabbitMq:ClusterNodes"] = nodes,
            ["RabbitMq:QueueType"] = nameof(BrokerQueueType.Quorum),
        });
        await using var client = new EventRuntimeClient(new EventRuntimeClientOptions
        {
            RabbitMqUrl = UriFor(SecuredRabbitMqBroker.ControlPlane),
            ClusterNodes = nodes,
            QueueType = BrokerQueueType.Quorum,
            RequireNodePublisher = true,
        });

        var outcome = await client.StopAsync(node, "web", TimeSpan.FromSeconds(10));

        Assert.True(outcome.IsStopped, outcome.Event.Reason);
        Assert.Equal(RuntimeStatus.Stopped, (await sandbox.StateAsync("web")).Status);
        var clientQueues = await cluster.CtlAsync(1, "-q", "list_queues", "-p", SecuredRabbitMqBroker.VirtualHost, "name", "type", "arguments", "--no-table-headers");
        Assert.Contains(clientQueues.Split('\n'), line => line.StartsWith("eventruntime-client-", StringComparison.Ordinal) && line.Contains("quorum", StringComparison.Ordinal)
            && line.Contains("x-expires", StringComparison.Ordinal));
    }

    private Uri UriFor(BrokerUser user) => new($"amqp://{user.Name}:{user.Password}@{cluster.HostPorts[0]}/{SecuredRabbitMqBroker.VirtualHost}");
}
