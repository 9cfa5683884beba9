using MassTransit;

namespace EventRuntime.Node.Stopping;

/// <summary>One <see cref="Contracts.StopContainer"/> command in flight; its CorrelationId is the command id.</summary>
public sealed class StopContainerState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    public string Node { get; set; } = "";

    public string ContainerId { get; set; } = "";

    public int TimeoutSeconds { get; set; }

    public bool ResumePaused { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public Guid? ExecutionRequestId { get; set; }
}
