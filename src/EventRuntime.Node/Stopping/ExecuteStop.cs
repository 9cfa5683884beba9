using MassTransit;

namespace EventRuntime.Node.Stopping;

/// <summary>Internal request from the saga to the runtime worker: carry out the stop of one container.</summary>
[MessageUrn("EventRuntime.Node:ExecuteStop")]
public sealed record ExecuteStop
{
    public Guid CorrelationId { get; init; }

    public Guid CommandId { get; init; }

    public string ContainerId { get; init; } = "";

    public int TimeoutSeconds { get; init; }

    public bool ResumePaused { get; init; }
}
