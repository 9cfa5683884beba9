namespace EventRuntime.Client;

/// <summary>The outcome event of one stop command and how long it took to arrive, as this client measured it.</summary>
/// <param name="Event">The ContainerStopped or ContainerStopFailed that answered the command.</param>
/// <param name="Latency">From just before the command was sent until its outcome arrived.</param>
public sealed record StopOutcome(OutcomeEvent Event, TimeSpan Latency)
{
    /// <summary>The container is stopped (the event is a ContainerStopped).</summary>
    public bool IsStopped => Event.Kind == OutcomeKind.Stopped;
}
