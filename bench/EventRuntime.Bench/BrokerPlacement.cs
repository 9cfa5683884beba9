using EventRuntime.Broker.Cluster;
using EventRuntime.TestSupport;

namespace EventRuntime.Bench;

/// <summary>
/// Where the scale scenario's agents and control plane connect: one broker, or the three nodes of a
/// <see cref="RabbitMqCluster"/>, agent i first to node i mod 3 (the list of every node after it) with quorum
/// command queues, as a fleet spread over a cluster runs.
/// </summary>
internal sealed class BrokerPlacement
{
    private readonly IReadOnlyList<string> clusterNodes;

    private BrokerPlacement(IReadOnlyList<Uri> nodes, IReadOnlyList<string> clusterNodes)
    {
        Nodes = nodes;
        this.clusterNodes = clusterNodes;
    }

    /// <summary>Each broker node's URL, the first one the control plane's.</summary>
    public IReadOnlyList<Uri> Nodes { get; }

    public bool IsCluster => clusterNodes.Count > 0;

    public static BrokerPlacement Single(Uri broker) => new([broker], []);

    public static BrokerPlacement Cluster(RabbitMqCluster cluster) =>
        new([.. Enumerable.Range(0, RabbitMqCluster.Size).Select(cluster.NodeUri)], cluster.HostPorts);

    /// <summary>The broker URL and settings of agent <paramref name="index"/>: <paramref name="settings"/> and, on a cluster, its nodes and quorum queues.</summary>
    public (Uri Broker, IReadOnlyDictionary<string, string?> Settings) ForAgent(int index, IReadOnlyDictionary<string, string?> settings)
    {
        if (!IsCluster)
        {
            return (Nodes[0], settings);
        }

        var first = index % Nodes.Count;
        var nodes = BrokerNodes.Parse(string.Join(',', clusterNodes), "cluster")!.StartingAt(first);
        var withCluster = new Dictionary<string, string?>(settings)
        {
            ["RabbitMq:ClusterNodes"] = nodes.ToString(),
            ["RabbitMq:QueueType"] = nameof(BrokerQueueType.Quorum),
        };
        return (Nodes[first], withCluster);
    }

    /// <summary>For the report.</summary>
    public string Describe() => IsCluster
        ? $"a {Nodes.Count}-node RabbitMQ cluster (quorum command queues, agent i connected first to node i mod {Nodes.Count})"
        : "one RabbitMQ broker (classic queues)";
}
