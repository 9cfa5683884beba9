using MassTransit;

namespace EventRuntime.Node.Stopping;

/// <summary>Internal response: a step of the stop failed; <see cref="Reason"/> is the wrapped message.</summary>
[MessageUrn("EventRuntime.Node:StopExecutionFailed")]
public sealed record StopExecutionFailed
{
    public Guid CorrelationId { get; init; }

    public string Code { get; init; } = "";

    public string Reason { get; init; } = "";

    public IReadOnlyList<string> Causes { get; init; } = [];

    public DateTimeOffset FailedAt { get; init; }
}
