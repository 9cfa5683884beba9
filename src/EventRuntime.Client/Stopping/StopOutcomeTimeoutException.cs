namespace EventRuntime.Client;

/// <summary>A stop command got no outcome within the wait: no agent serves its node, or the agent is still busy with it.</summary>
public sealed class StopOutcomeTimeoutException : TimeoutException
{
    /// <summary>Creates the exception without a message.</summary>
    public StopOutcomeTimeoutException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StopOutcomeTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StopOutcomeTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal StopOutcomeTimeoutException(Guid commandId, string node, string containerId, TimeSpan waited)
        : base($"no outcome for the stop of container {containerId} on node {node} (command {commandId}) within {Seconds(waited)}: " +
               $"is an agent for node {node} running? The command stays queued for it.")
    {
        CommandId = commandId;
        Node = node;
        ContainerId = containerId;
        Waited = waited;
    }

    /// <summary>The command that got no outcome.</summary>
    public Guid CommandId { get; }

    /// <summary>The node it was sent to.</summary>
    public string Node { get; } = "";

    /// <summary>The container it named.</summary>
    public string ContainerId { get; } = "";

    /// <summary>How long the client waited.</summary>
    public TimeSpan Waited { get; }

    private static string Seconds(TimeSpan span) =>
        span.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " s";
}
