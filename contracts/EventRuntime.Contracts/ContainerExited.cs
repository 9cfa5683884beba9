using MassTransit;

namespace EventRuntime.Contracts;

/// <summary>
/// Event: the process of a container whose stop failed with <see cref="StopFailureCode.Stuck"/> has finally
/// died under the node's background SIGKILL retries. Its storage is still held: a later stop of the
/// container releases it and records it stopped.
/// </summary>
[MessageUrn("EventRuntime.Contracts:ContainerExited")]
public record ContainerExited
{
    /// <summary>The command whose stop was answered Stuck.</summary>
    public Guid CommandId { get; init; }

    /// <summary>Node the container runs on.</summary>
    public string Node { get; init; } = "";

    /// <summary>Id of the container.</summary>
    public string ContainerId { get; init; } = "";

    /// <summary>The instance; null for a container created before instance ids.</summary>
    public string? InstanceId { get; init; }

    /// <summary>When the node saw the process gone (UTC).</summary>
    public DateTimeOffset ExitedAt { get; init; }

    /// <summary>How long the process outlived the first SIGKILL, in seconds.</summary>
    public double ResistedSeconds { get; init; }
}
