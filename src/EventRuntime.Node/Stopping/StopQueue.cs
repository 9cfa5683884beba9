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
}
