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
    /// When the command stops being worth carrying out (optional). A node that receives it later answers
    /// <see cref="ContainerStopFailed"/> with <see cref="StopFailureCode.Expired"/> and touches nothing.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>
    /// The instance of the container the sender means (optional; <see cref="ContainerStopped.InstanceId"/> and
    /// <c>eventruntime-node list</c> show it). A container recreated under the same id since is another instance:
    /// answered with <see cref="StopFailureCode.InstanceMismatch"/>, untouched.
    /// </summary>
    public string? InstanceId { get; init; }

    /// <summary>
    /// Seconds to wait between <see cref="ContainerStopping"/> and the stop signal (optional), so that
    /// subscribers such as load balancers can deregister the container first. Counted inside <see cref="TimeoutSeconds"/>.
    /// </summary>
    public int? DrainSeconds { get; init; }

    /// <summary>
    /// HMAC-SHA256 over <see cref="CommandSignature.CanonicalForm"/>, lower-case hex. Required by a node
    /// configured with a command key; ignored by one without.
    /// </summary>
    public string? Signature { get; init; }

    /// <summary>When the sender signed the command; a node with a command key refuses it outside its replay window.</summary>
    public DateTimeOffset? SignedAt { get; init; }
}
