namespace EventRuntime.Client;

/// <summary>How an <see cref="EventRuntimeClient"/> sends stops and receives their outcomes.</summary>
public enum ClientTransport
{
    /// <summary>
    /// A MassTransit bus of the client's own: reconnects when the broker comes back, fails over between cluster nodes
    /// (<see cref="EventRuntimeClientOptions.ClusterNodes"/>), resends a command not confirmed in time on a fresh channel.
    /// For services that stay up.
    /// </summary>
    Bus,

    /// <summary>
    /// One RabbitMQ.Client connection, opened in a few milliseconds: for a process that sends a few stops and exits (ert).
    /// It never reconnects (a lost connection fails the waits) and needs one broker: it refuses <c>ClusterNodes</c> and
    /// quorum queues. Status, presence and fleet questions still use the bus, started on their first use.
    /// </summary>
    Direct,
}
