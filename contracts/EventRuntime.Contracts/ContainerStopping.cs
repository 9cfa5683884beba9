using MassTransit;

namespace EventRuntime.Contracts;

/// <summary>
/// Event: the node is about to send a running container its stop signal, after <see cref="DrainSeconds"/>.
/// Published once per stop (commands that join a running stop add none), before its outcome.
/// </summary>
[MessageUrn("EventRuntime.Contracts:ContainerStopping")]
public record ContainerStopping
{
    /// <summary>The <see cref="StopContainer.CommandId"/> whose stop this is.</summary>
    public Guid CommandId { get; init; }

    /// <summary>Node whose agent is stopping the container.</summary>
    public string Node { get; init; } = "";

    /// <summary>Id of the container about to get its stop signal.</summary>
    public string ContainerId { get; init; } = "";

    /// <summary>The instance being stopped; null for a container created before instance ids.</summary>
    public string? InstanceId { get; init; }

    /// <summary>How long the node waits after this event before the stop signal.</summary>
    public int DrainSeconds { get; init; }

    /// <summary>The earliest the stop signal comes (UTC): <see cref="DrainSeconds"/> after this event was published, or the grace period's end if sooner.</summary>
    public DateTimeOffset SignalAt { get; init; }

    /// <summary>When the grace period ends and SIGKILL follows (UTC), unless the container exits first.</summary>
    public DateTimeOffset GraceEndsAt { get; init; }
}
