using MassTransit;

namespace EventRuntime.Contracts;

/// <summary>
/// Event: a node agent is alive. Each agent publishes one when it starts and then every
/// <c>Node:HeartbeatInterval</c>, and a last one with <see cref="Leaving"/> when it shuts down cleanly; an agent that
/// stops publishing without that is gone (or cut off from the broker).
/// </summary>
[MessageUrn("EventRuntime.Contracts:NodeHeartbeat")]
public record NodeHeartbeat
{
    /// <summary>Name of the node; its commands go to <c>eventruntime-node-&lt;Node&gt;</c>.</summary>
    public string Node { get; init; } = "";

    /// <summary>Version of the agent executable, e.g. "1.0.0+dedfb70".</summary>
    public string Version { get; init; } = "";

    /// <summary>Containers the agent is stopping at the time of sending.</summary>
    public int InFlightStops { get; init; }

    /// <summary>When this agent process started (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When this heartbeat was sent (UTC).</summary>
    public DateTimeOffset SentAt { get; init; }

    /// <summary>
    /// True on the last heartbeat of an agent that shuts down cleanly: the node leaves the roster
    /// (<see cref="RosterStream"/>) instead of being reported silent. An agent that is killed sends none.
    /// </summary>
    public bool Leaving { get; init; }
}
