using MassTransit;

namespace EventRuntime.Node.Stopping;

/// <summary>The node-internal queues of the stop flow (the command queue itself is part of the wire contract).</summary>
public static class StopQueue
{
    /// <summary>Where <see cref="ExecuteStopConsumer"/> takes the slow part of each stop.</summary>
    public static string For(string node) => "eventruntime-stop-" + node;

    /// <summary>
    /// Where the stop worker's answers reach the saga. Apart from the command queue, so that on shutdown
    /// the agent can stop taking commands and still finish the stops it has started.
    /// </summary>
    public static string SagaFor(string node) => "eventruntime-saga-" + node;

    /// <summary>The saga queue of <paramref name="node"/> as a MassTransit address.</summary>
    public static Uri SagaAddressFor(string node) => new($"queue:{SagaFor(node)}");

    /// <summary>
    /// Points an <see cref="ExecuteStop"/>'s fault at the saga queue. MassTransit sends a consumer's
    /// Fault&lt;T&gt; to the message's FaultAddress, else to its ResponseAddress, which for a saga's request is
    /// the queue the saga read the command from: the command queue, which refuses the saga's answers
    /// (they would be skipped there, and the command never answered).
    /// </summary>
    public static void SendFaultsToSaga(SendContext context, string node) => context.FaultAddress = SagaAddressFor(node);
}
