using MassTransit;

namespace EventRuntime.Contracts;

/// <summary>Event: one agent's answer to <see cref="PingNodes"/>; the same facts as its <see cref="NodeHeartbeat"/>, fresh.</summary>
[MessageUrn("EventRuntime.Contracts:NodePresence")]
public record NodePresence
{
    /// <summary>The <see cref="PingNodes.RequestId"/> this answers.</summary>
    public Guid RequestId { get; init; }

    /// <summary>Name of the node.</summary>
    public string Node { get; init; } = "";

    /// <summary>Version of the agent executable, e.g. "1.0.0+dedfb70".</summary>
    public string Version { get; init; } = "";

    /// <summary>Containers the agent is stopping at the time of answering.</summary>
    public int InFlightStops { get; init; }

    /// <summary>When this agent process started (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When this answer was sent (UTC).</summary>
    public DateTimeOffset SentAt { get; init; }
}
