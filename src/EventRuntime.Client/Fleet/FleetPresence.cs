using EventRuntime.Contracts;

namespace EventRuntime.Client;

/// <summary>The answer to a ping of the fleet: the agents that answered, and those expected that did not.</summary>
public sealed record FleetPresence
{
    /// <summary>The agents that answered, by node name.</summary>
    public required IReadOnlyList<NodePresence> Live { get; init; }

    /// <summary>
    /// Nodes that were asked by name, or (with none named) are on the roster, and did not answer within the wait: down,
    /// or cut off from the broker.
    /// </summary>
    public required IReadOnlyList<string> Silent { get; init; }

    /// <summary>When the roster last heard each <see cref="Silent"/> node (its last heartbeat); a node it never heard is absent.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> LastHeard { get; init; } = new Dictionary<string, DateTimeOffset>();
}
