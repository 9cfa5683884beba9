namespace EventRuntime.Node.Stopping;

/// <summary>The init process's exit as /proc shows it, for containers without a monitor (<see cref="ProcessWatch"/>).</summary>
internal sealed class ProcessExitWatch(int pid) : IExitWatch
{
    public Task<bool> WaitForExitAsync(GraceDeadline deadline, CancellationToken cancellationToken) =>
        ProcessWatch.WaitForExitAsync(pid, deadline, cancellationToken);
}
