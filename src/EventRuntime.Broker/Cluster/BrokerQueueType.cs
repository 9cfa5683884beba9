namespace EventRuntime.Broker.Cluster;

/// <summary>
/// How the queues whose loss matters are declared: <see cref="Classic"/> on a single broker, <see cref="Quorum"/>
/// (replicated by Raft over the cluster's nodes) on a cluster. The broker refuses to redeclare a queue with another
/// type, so the agent, the broker definitions and infra/rabbitmq/add-node.sh must agree.
/// </summary>
public enum BrokerQueueType
{
    /// <summary>A classic queue: it lives on one broker node, and is gone with that node's disk.</summary>
    Classic,

    /// <summary>A quorum queue (<c>x-queue-type: quorum</c>): its messages survive the loss of a minority of the cluster's nodes.</summary>
    Quorum,
}
