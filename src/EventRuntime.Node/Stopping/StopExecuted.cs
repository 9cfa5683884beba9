using MassTransit;

namespace EventRuntime.Node.Stopping;

/// <summary>Internal response: the container is stopped, unmounted and its state written.</summary>
[MessageUrn("EventRuntime.Node:StopExecuted")]
public sealed record StopExecuted
{
    public Guid CorrelationId { get; init; }

    public int? ExitCode { get; init; }

    public DateTimeOffset StoppedAt { get; init; }
}
