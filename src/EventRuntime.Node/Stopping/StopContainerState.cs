using MassTransit;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// One <see cref="Contracts.StopContainer"/> command; its CorrelationId is the command id. Stored once it
/// has its outcome (state Stopped or Failed) and kept until <c>Sagas:CompletedRetention</c> passes, so that
/// a repeated command is recognised and a redelivered one publishes the same outcome again instead of a new one.
/// </summary>
public sealed class StopContainerState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    public Guid CommandId { get; set; }

    public string Node { get; set; } = "";

    public string ContainerId { get; set; } = "";

    public int TimeoutSeconds { get; set; }

    public bool ResumePaused { get; set; }

    /// <summary>The instance the command asked for (its <c>instanceId</c>), if any.</summary>
    public string? RequestedInstanceId { get; set; }

    /// <summary>Seconds between <c>ContainerStopping</c> and the stop signal (its <c>drainSeconds</c>).</summary>
    public int DrainSeconds { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The instance of the container found under the id, once it was found.</summary>
    public string? InstanceId { get; set; }

    /// <summary>Null while running; "" once stopped; otherwise the failure code.</summary>
    public string? OutcomeCode { get; set; }

    public string OutcomeReason { get; set; } = "";

    public IReadOnlyList<string> OutcomeCauses { get; set; } = [];

    public int? ExitCode { get; set; }

    public DateTimeOffset? OutcomeAt { get; set; }

    /// <summary>
    /// Set (by a second, small write) once the outcome's publish was confirmed: a delivery of this command
    /// that comes again after that publishes nothing, one that comes before it publishes the stored outcome.
    /// </summary>
    public bool OutcomePublished { get; set; }

    public void RecordStopped(int? exitCode, DateTimeOffset stoppedAt)
    {
        OutcomeCode = "";
        ExitCode = exitCode;
        OutcomeAt = stoppedAt;
    }

    public void RecordFailure(string code, string reason, IReadOnlyList<string> causes)
    {
        OutcomeCode = code;
        OutcomeReason = reason;
        OutcomeCauses = causes;
        OutcomeAt = DateTimeOffset.UtcNow;
    }
}
