using MassTransit;

namespace EventRuntime.Contracts;

/// <summary>Event: the <see cref="StopContainer"/> with <see cref="CommandId"/> could not be carried out.</summary>
[MessageUrn("EventRuntime.Contracts:ContainerStopFailed")]
public record ContainerStopFailed
{
    /// <summary>The <see cref="StopContainer.CommandId"/> this outcome answers.</summary>
    public Guid CommandId { get; init; }

    /// <summary>Node whose agent handled the command.</summary>
    public string Node { get; init; } = "";

    /// <summary>Id of the container the command named.</summary>
    public string ContainerId { get; init; } = "";

    /// <summary>The instance of the container the node found under that id, when it found one with an instance id.</summary>
    public string? InstanceId { get; init; }

    /// <summary>Machine-readable failure code, one of <see cref="StopFailureCode"/>'s constants.</summary>
    public string Code { get; init; } = "";

    /// <summary>The whole wrapped message, e.g. "failed to stop container X: runc kill: ...".</summary>
    public string Reason { get; init; } = "";

    /// <summary>The cause chain, outermost first; its first element equals <see cref="Reason"/>.</summary>
    public IReadOnlyList<string> Causes { get; init; } = [];

    /// <summary>When the agent gave up (UTC).</summary>
    public DateTimeOffset FailedAt { get; init; }
}
