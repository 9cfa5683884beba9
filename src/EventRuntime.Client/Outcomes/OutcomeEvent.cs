using EventRuntime.Contracts;

namespace EventRuntime.Client;

/// <summary>A <see cref="ContainerStopped"/> or a <see cref="ContainerStopFailed"/>, in one shape.</summary>
public sealed record OutcomeEvent
{
    /// <summary>Stopped or failed.</summary>
    public required OutcomeKind Kind { get; init; }

    /// <summary>The command this outcome answers.</summary>
    public required Guid CommandId { get; init; }

    /// <summary>The node whose agent answered.</summary>
    public required string Node { get; init; }

    /// <summary>The container the command named.</summary>
    public required string ContainerId { get; init; }

    /// <summary>When the agent saw the container stopped, or gave up.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>One of <see cref="StopFailureCode"/>'s values when the stop failed; null when it stopped.</summary>
    public string? Code { get; init; }

    /// <summary>The agent's wrapped reason when the stop failed; null when it stopped.</summary>
    public string? Reason { get; init; }

    /// <summary>The cause chain of a failure, outermost first; empty when it stopped.</summary>
    public IReadOnlyList<string> Causes { get; init; } = [];

    /// <summary>The process's exit code, when the runtime reported one.</summary>
    public int? ExitCode { get; init; }

    /// <summary>
    /// The broker user that published the event (AMQP <c>user_id</c>, which RabbitMQ checks against the
    /// publisher's login), e.g. <c>node-alpha</c>; null when the publisher set none. With the least-privilege
    /// users of docs/security.md, an outcome whose <see cref="Node"/> is N should come from <c>node-N</c>.
    /// </summary>
    public string? PublishedBy { get; init; }

    /// <summary>The outcome of a container that stopped.</summary>
    public static OutcomeEvent From(ContainerStopped stopped)
    {
        ArgumentNullException.ThrowIfNull(stopped);
        return new OutcomeEvent
        {
            Kind = OutcomeKind.Stopped,
            CommandId = stopped.CommandId,
            Node = stopped.Node,
            ContainerId = stopped.ContainerId,
            At = stopped.StoppedAt,
            ExitCode = stopped.ExitCode,
        };
    }

    /// <summary>The outcome of a stop that failed.</summary>
    public static OutcomeEvent From(ContainerStopFailed failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        return new OutcomeEvent
        {
            Kind = OutcomeKind.Failed,
            CommandId = failed.CommandId,
            Node = failed.Node,
            ContainerId = failed.ContainerId,
            At = failed.FailedAt,
            Code = failed.Code,
            Reason = failed.Reason,
            Causes = failed.Causes,
        };
    }
}
