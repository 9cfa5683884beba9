namespace EventRuntime.Contracts;

/// <summary>A container as a <see cref="NodeContainers"/> answer lists it.</summary>
public record ContainerSummary
{
    /// <summary>"running": the recorded status of a container that was started and not stopped since.</summary>
    public const string Running = "running";

    /// <summary>"stopped": the agent (or <c>eventruntime-node</c>) recorded it stopped.</summary>
    public const string Stopped = "stopped";

    /// <summary>The container id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The instance (<see cref="StopContainer.InstanceId"/>); null for records older than instance ids.</summary>
    public string? InstanceId { get; init; }

    /// <summary>The recorded status: created, running, paused or stopped.</summary>
    public string Status { get; init; } = "";

    /// <summary>Its labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The runtime it runs on: runc or runsc.</summary>
    public string Runtime { get; init; } = "";

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
