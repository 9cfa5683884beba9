namespace EventRuntime.Node.Runtime;

/// <summary>The status values an OCI runtime's <c>state</c> command reports.</summary>
public enum RuntimeStatus
{
    Creating,
    Created,
    Running,
    Paused,
    Stopped,
}
