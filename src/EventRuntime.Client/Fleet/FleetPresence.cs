using EventRuntime.Contracts;

namespace EventRuntime.Client;

/// <summary>The answer to a ping of the fleet: the agents that answered, and the named ones that did not.</summary>
public sealed record FleetPresence
{
    /// <summary>The agents that answered, by node name.</summary>
    public required IReadOnlyList<NodePresence> Live { get; init; }

    /// <summary>Nodes that were asked by name (or are otherwise known) and did not answer within the wait: down, or cut off from the broker.</summary>
    public required IReadOnlyList<string> Silent { get; init; }
}
