using MassTransit;

namespace EventRuntime.Contracts;

/// <summary>
/// Event: a node's answer to <see cref="GetCommandStatus"/>, from its own records: commands in flight, and
/// answered ones for the node's retention period (<c>Sagas:CompletedRetention</c>, 24 h).
/// </summary>
[MessageUrn("EventRuntime.Contracts:CommandStatus")]
public record CommandStatus
{
    /// <summary>"unknown": the node has no record of the command (never received, or answered before the retention period).</summary>
    public const string Unknown = "unknown";

    /// <summary>"pending": received, its stop not begun (it waits for another delivery of the same id).</summary>
    public const string Pending = "pending";

    /// <summary>"stopping": its stop is running.</summary>
    public const string Stopping = "stopping";

    /// <summary>"stopped": answered with <see cref="ContainerStopped"/>.</summary>
    public const string Stopped = "stopped";

    /// <summary>"failed": answered with <see cref="ContainerStopFailed"/>; <see cref="Code"/> and <see cref="Reason"/> say why.</summary>
    public const string Failed = "failed";

    /// <summary>The <see cref="GetCommandStatus.RequestId"/> this answers.</summary>
    public Guid RequestId { get; init; }

    /// <summary>The node that answered.</summary>
    public string Node { get; init; } = "";

    /// <summary>The command asked about.</summary>
    public Guid CommandId { get; init; }

    /// <summary>One of the constants above.</summary>
    public string Status { get; init; } = Unknown;

    /// <summary>The container the command named, when the node knows the command.</summary>
    public string? ContainerId { get; init; }

    /// <summary>The instance the outcome named, when it named one.</summary>
    public string? InstanceId { get; init; }

    /// <summary>The outcome's failure code ("failed" only).</summary>
    public string? Code { get; init; }

    /// <summary>The outcome's reason ("failed" only), or why the node could not answer.</summary>
    public string? Reason { get; init; }

    /// <summary>When the outcome was reached ("stopped" and "failed").</summary>
    public DateTimeOffset? OutcomeAt { get; init; }
}
