using MassTransit;

namespace EventRuntime.Broker.Cluster;

/// <summary>Declares a receive endpoint's queue with the configured <see cref="BrokerQueueType"/>.</summary>
public static class QueueTypeExtensions
{
    /// <summary>
    /// A quorum queue gets no initial group size: the broker then places a member on every cluster node (up to its
    /// default), and the declaration matches the broker definitions' and add-node.sh's, which name only the type.
    /// </summary>
    public static void Apply(this BrokerQueueType type, IRabbitMqReceiveEndpointConfigurator endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (type == BrokerQueueType.Quorum)
        {
            endpoint.SetQuorumQueue();
        }
    }
}
