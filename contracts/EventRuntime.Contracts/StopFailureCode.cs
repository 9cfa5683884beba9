namespace EventRuntime.Contracts;

/// <summary>
/// The values of <see cref="ContainerStopFailed.Code"/>. Strings, not an enum, so a subscriber built
/// against an older contract still reads codes added later.
/// </summary>
public static class StopFailureCode
{
    /// <summary>The node has no container with that id.</summary>
    public const string NotFound = "NotFound";

    /// <summary>The container is paused and the command did not opt into resume-then-stop.</summary>
    public const string Paused = "Paused";

    /// <summary>The runtime could not signal the container's process.</summary>
    public const string StopFailed = "StopFailed";

    /// <summary>
    /// The process outlived every SIGKILL until <c>Stop:KillDeadline</c> (for example in uninterruptible sleep,
    /// state D); the reason carries its state from /proc. SIGKILL goes on in the background, and
    /// <see cref="ContainerExited"/> is published if the process dies.
    /// </summary>
    public const string Stuck = "Stuck";

    /// <summary>The process is gone but the runtime did not report "stopped" before the deadline.</summary>
    public const string StateWaitTimedOut = "StateWaitTimedOut";

    /// <summary>The container stopped but its storage could not be unmounted.</summary>
    public const string UnmountFailed = "UnmountFailed";

    /// <summary>The command itself is invalid (bad id, negative timeout, wrong node, ...).</summary>
    public const string InvalidCommand = "InvalidCommand";

    /// <summary>The container stopped but its state could not be written to disk.</summary>
    public const string StatePersistFailed = "StatePersistFailed";

    /// <summary>
    /// The command reached the node after it expired (its <c>expiresAt</c>, its envelope's <c>expirationTime</c>,
    /// or the node's maximum command age after its envelope's <c>sentTime</c>); nothing was touched.
    /// </summary>
    public const string Expired = "Expired";

    /// <summary>The container under that id is another instance than the command's <c>instanceId</c> (it was recreated); untouched.</summary>
    public const string InstanceMismatch = "InstanceMismatch";

    /// <summary>
    /// The node could not record the command's outcome (its state directory is full or failing). The reason
    /// says what became of the container; a repeat of the command would be carried out again.
    /// </summary>
    public const string NotRecorded = "NotRecorded";

    /// <summary>Anything the agent did not expect; the reason says what.</summary>
    public const string Internal = "Internal";
}
