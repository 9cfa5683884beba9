using MassTransit;

namespace EventRuntime.Contracts;

/// <summary>Event: the container named by a <see cref="StopContainer"/> is stopped and its storage unmounted.</summary>
[MessageUrn("EventRuntime.Contracts:ContainerStopped")]
public record ContainerStopped
{
    /// <summary>The <see cref="StopContainer.CommandId"/> this outcome answers.</summary>
    public Guid CommandId { get; init; }

    /// <summary>Node whose agent stopped the container.</summary>
    public string Node { get; init; } = "";

    /// <summary>Id of the stopped container.</summary>
    public string ContainerId { get; init; } = "";

    /// <summary>The instance of the container that was stopped (made when it was created); null for a container created before instance ids.</summary>
    public string? InstanceId { get; init; }

    /// <summary>Exit code of the container's process when the runtime reported one, otherwise null.</summary>
    public int? ExitCode { get; init; }

    /// <summary>When the agent saw the container stopped (UTC).</summary>
    public DateTimeOffset StoppedAt { get; init; }
}
