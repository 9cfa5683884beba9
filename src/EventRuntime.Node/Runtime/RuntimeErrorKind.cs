namespace EventRuntime.Node.Runtime;

/// <summary>The kinds of runtime failure the stop flow treats differently.</summary>
public enum RuntimeErrorKind
{
    /// <summary>The runtime does not know the container ("container does not exist").</summary>
    NotFound,

    /// <summary>The container's process is not running ("container not running", "No such process").</summary>
    NotRunning,

    /// <summary>The container is paused and the operation needs it running.</summary>
    Paused,

    /// <summary>The runtime binary did not answer within its timeout and was killed.</summary>
    TimedOut,

    /// <summary>Any other failure; the message carries the runtime's own words.</summary>
    Failed,
}
