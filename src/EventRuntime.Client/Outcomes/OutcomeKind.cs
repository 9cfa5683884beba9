namespace EventRuntime.Client;

/// <summary>Which outcome event a stop command got.</summary>
public enum OutcomeKind
{
    /// <summary><see cref="Contracts.ContainerStopped"/>.</summary>
    Stopped,

    /// <summary><see cref="Contracts.ContainerStopFailed"/>.</summary>
    Failed,
}
