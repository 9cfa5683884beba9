namespace EventRuntime.Contracts;

/// <summary>Names on the wire of the fleet questions (<see cref="ListContainers"/>, <see cref="PingNodes"/>).</summary>
public static class FleetQueue
{
    /// <summary>
    /// The queue of <paramref name="node"/>'s agent that binds the fanout exchanges of the fleet questions: apart from
    /// the command queue, so that a question never waits behind stops that hold their deliveries for a grace period.
    /// </summary>
    public static string For(string node) => NodeQueue.For(node) + "_fleet";
}
