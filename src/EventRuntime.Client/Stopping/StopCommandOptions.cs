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
}
