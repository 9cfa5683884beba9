using EventRuntime.Node.Runtime;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// Stops a container's process the way CRI-O's runtime does: the stop signal, the grace period, then
/// SIGKILL to every process, retried with backoff while the process lingers (a process in uninterruptible
/// sleep keeps a pending SIGKILL), until <see cref="StopOptions.KillDeadline"/>. Never waits forever.
/// </summary>
internal sealed class ProcessStopper(IOciRuntime runtime, StopOptions options)
{
    private static readonly TimeSpan FirstKillRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestKillRetry = TimeSpan.FromSeconds(2);

    public async Task StopAsync(string containerId, int pid, IExitWatch exit, string stopSignal, GraceDeadline grace, CancellationToken cancellationToken)
    {
        if (!grace.HasPassed)
        {
            if (!await SignalAsync(containerId, stopSignal, all: false, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (await exit.WaitForExitAsync(grace, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        var killDeadline = DateTime.UtcNow + options.KillDeadline;
        for (var retry = FirstKillRetry; ; retry = Min(retry * 2, LongestKillRetry))
        {
            if (!await SignalAsync(containerId, Signals.Kill, all: true, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (await exit.WaitForExitAsync(GraceDeadline.After(retry), cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (DateTime.UtcNow >= killDeadline)
            {
                throw new ProcessStuckException(pid, Runtime.ProcessStat.DescribeState(pid), DateTime.UtcNow - (killDeadline - options.KillDeadline));
            }
        }
    }

    /// <summary>Sends a signal; false when the runtime says the container is already gone.</summary>
    private async Task<bool> SignalAsync(string containerId, string signal, bool all, CancellationToken cancellationToken)
    {
        try
        {
            await runtime.KillAsync(containerId, signal, all, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RuntimeException e) when (e.Kind is RuntimeErrorKind.NotFound or RuntimeErrorKind.NotRunning)
        {
            // The process exited on its own between the status check and the kill: that is a stop.
            return false;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
