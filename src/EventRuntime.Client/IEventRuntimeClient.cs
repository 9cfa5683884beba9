using EventRuntime.Contracts;

namespace EventRuntime.Client;

/// <summary>
/// Stops containers through the node agents and reports their outcomes. Outcomes are matched by
/// command id on one temporary queue per client; every wait happens here in the client, because the
/// broker has no scheduler to time anything out.
/// </summary>
public interface IEventRuntimeClient
{
    /// <summary>Connects to the broker, or fails with <see cref="BrokerUnavailableException"/> within the connect timeout. Other calls connect on demand.</summary>
    Task ConnectAsync(CancellationToken cancellationToken = default);

    /// <summary>Sends a <see cref="StopContainer"/> and returns its command id without waiting for the outcome.</summary>
    /// <param name="node">The node whose agent must stop the container.</param>
    /// <param name="containerId">The container on that node.</param>
    /// <param name="timeout">Grace period between the stop signal and SIGKILL (whole seconds, rounded up); zero kills at once.</param>
    /// <param name="options">Resume-paused, a chosen command id, how long to wait.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    Task<Guid> SendStopAsync(string node, string containerId, TimeSpan timeout, StopCommandOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a <see cref="StopContainer"/> and waits for its own outcome. A <see cref="ContainerStopFailed"/>
    /// is an outcome, not an exception; no outcome in time is a <see cref="StopOutcomeTimeoutException"/>.
    /// </summary>
    Task<StopOutcome> StopAsync(string node, string containerId, TimeSpan timeout, StopCommandOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stops many containers, at most <see cref="StopBatchOptions.MaxConcurrency"/> awaiting their outcome
    /// at once. Every request gets a result in the same order: an outcome, or the error that kept it from one.
    /// </summary>
    Task<IReadOnlyList<StopResult>> StopManyAsync(IReadOnlyList<StopRequest> requests, StopBatchOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Starts collecting outcome events that match <paramref name="filter"/>; enumerate the subscription to read them and dispose it to stop.</summary>
    OutcomeSubscription Subscribe(OutcomeFilter? filter = null);

    /// <summary>The outcome events that match <paramref name="filter"/>, as the agents publish them, until cancelled.</summary>
    IAsyncEnumerable<OutcomeEvent> ReadOutcomesAsync(OutcomeFilter? filter = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks <paramref name="node"/> what became of command <paramref name="commandId"/> (unknown, pending, stopping,
    /// stopped or failed, with the outcome), from the node's own records; throws <see cref="TimeoutException"/>
    /// when the node does not answer within <paramref name="within"/>.
    /// </summary>
    Task<CommandStatus> GetStatusAsync(string node, Guid commandId, TimeSpan within, CancellationToken cancellationToken = default);

    /// <summary>Listens for <paramref name="listenFor"/> and returns the latest heartbeat of every node agent heard, by node name.</summary>
    Task<IReadOnlyList<NodeHeartbeat>> ListNodesAsync(TimeSpan listenFor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks every agent (or the named ones) to answer at once, over the bus: the live agents with their version and
    /// stops in flight, within <see cref="FleetQuery.Wait"/>; named nodes that did not answer are <see cref="FleetPresence.Silent"/>.
    /// </summary>
    Task<FleetPresence> PingNodesAsync(FleetQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks every agent (or the named ones) which of its containers match <see cref="FleetQuery.Selector"/>, in one
    /// published question, and gathers the answers within <see cref="FleetQuery.Wait"/>. A selector that cannot be read
    /// is an <see cref="ArgumentException"/>.
    /// </summary>
    Task<FleetInventory> ListContainersAsync(FleetQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stops every container that the inventory finds for <see cref="FleetStopRequest.Targets"/> (those not recorded
    /// stopped): one <see cref="StopContainer"/> each, at most <see cref="FleetStopRequest.MaxConcurrency"/> awaiting
    /// their outcome, and none sent once more than <see cref="FleetStopRequest.MaxErrors"/> failed (the rest are skipped).
    /// </summary>
    Task<FleetStopReport> StopFleetAsync(FleetStopRequest request, CancellationToken cancellationToken = default);
}
