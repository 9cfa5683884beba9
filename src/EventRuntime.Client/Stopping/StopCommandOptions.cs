namespace EventRuntime.Client;

/// <summary>The optional parts of a stop command and of the wait for its outcome.</summary>
public sealed record StopCommandOptions
{
    /// <summary>A paused container is resumed and then stopped, instead of failing with <c>Paused</c>.</summary>
    public bool ResumePaused { get; init; }

    /// <summary>
    /// The command id to send; a new one when null. A caller that retries after a crash sends the same id
    /// again: the agent remembers answered ids and does not stop twice.
    /// </summary>
    public Guid? CommandId { get; init; }

    /// <summary>How long to wait for the outcome; null waits the grace period plus <see cref="EventRuntimeClientOptions.OutcomeWaitMargin"/>.</summary>
    public TimeSpan? OutcomeWait { get; init; }

    /// <summary>
    /// When the node must no longer start the stop (it answers <c>Expired</c> instead). Null: a stop that waits
    /// for its outcome expires when that wait ends, so a command the caller gave up on is never carried out
    /// later; one sent without waiting has no expiry of its own (the node's <c>Stop:MaxCommandAge</c> still applies).
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The container instance meant (from <c>eventruntime-node list</c> or an earlier outcome); a recreated container is then left alone.</summary>
    public string? InstanceId { get; init; }

    /// <summary>Seconds between the node's <c>ContainerStopping</c> event and the stop signal, inside the grace period.</summary>
    public int? DrainSeconds { get; init; }
}
