using MassTransit;

namespace EventRuntime.Contracts;

/// <summary>
/// Command: stop one container on one node. Sent to the node's queue <c>eventruntime-node-&lt;node&gt;</c>.
/// Every accepted command gets exactly one outcome, <see cref="ContainerStopped"/> or
/// <see cref="ContainerStopFailed"/>, carrying the same <see cref="CommandId"/>.
/// </summary>
[MessageUrn("EventRuntime.Contracts:StopContainer")]
public record StopContainer
{
    /// <summary>Caller-chosen id that correlates the command with its outcome.</summary>
    public Guid CommandId { get; init; }

    /// <summary>Name of the node whose agent must carry out the stop.</summary>
    public string Node { get; init; } = "";

    /// <summary>Id of the container on that node.</summary>
    public string ContainerId { get; init; } = "";

    /// <summary>Grace period in seconds between the stop signal and SIGKILL; 0 kills at once.</summary>
    public int TimeoutSeconds { get; init; }

    /// <summary>When true, a paused container is resumed and then stopped instead of failing with Paused.</summary>
    public bool ResumePaused { get; init; }

    /// <summary>
    /// HMAC-SHA256 over <see cref="CommandSignature.CanonicalForm"/>, lower-case hex. Required by a node
    /// configured with a command key; ignored by one without.
    /// </summary>
    public string? Signature { get; init; }

    /// <summary>When the sender signed the command; a node with a command key refuses it outside its replay window.</summary>
    public DateTimeOffset? SignedAt { get; init; }
}
