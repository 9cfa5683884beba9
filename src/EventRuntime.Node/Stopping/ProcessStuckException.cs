namespace EventRuntime.Node.Stopping;

/// <summary>A container's process outlived every SIGKILL until the kill deadline; the message carries the kernel's evidence.</summary>
public sealed class ProcessStuckException(int pid, string state, TimeSpan resisted)
    : Exception($"process {pid} is still there {resisted.TotalSeconds:0.###} s after the first SIGKILL, in state {state}")
{
    public int Pid { get; } = pid;

    /// <summary>When the first SIGKILL was sent (UTC).</summary>
    public DateTime FirstKillAt { get; } = DateTime.UtcNow - resisted;
}
