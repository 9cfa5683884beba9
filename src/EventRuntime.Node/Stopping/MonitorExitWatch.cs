using EventRuntime.Node.Runtime;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// The init's exit as its conmon reports it: conmon reaps the init and writes the exit file, and inotify
/// wakes the stop at that moment (or a check every <see cref="MonitorCheckInterval"/>). A conmon that died first writes nothing: then the init is watched
/// through /proc like a container without a monitor, and its exit code stays unknown.
/// </summary>
internal sealed class MonitorExitWatch(string exitFile, MonitorProcess monitor, int pid) : IExitWatch
{
    // How often, while no exit file came, the wait checks that conmon still lives and that the deadline
    // has not moved earlier (a joining "timeout 0"); the exit file itself wakes it at once.
    private static readonly TimeSpan MonitorCheckInterval = TimeSpan.FromMilliseconds(50);

    public Task<bool> WaitForExitAsync(GraceDeadline deadline, CancellationToken cancellationToken) =>
        WaitAsync(processExitCounts: true, deadline, cancellationToken);

    /// <summary>
    /// Waits for the exit file itself, after the init is known to be gone: true once it is there, false when conmon
    /// died without writing it or <paramref name="deadline"/> passed.
    /// </summary>
    public async Task<bool> WaitForExitFileAsync(GraceDeadline deadline, CancellationToken cancellationToken) =>
        await WaitAsync(processExitCounts: false, deadline, cancellationToken).ConfigureAwait(false) && ExitFile.TryRead(exitFile) is not null;

    private async Task<bool> WaitAsync(bool processExitCounts, GraceDeadline deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Subscribe, then look: an exit file written between the two still wakes the wait.
            using var subscription = ExitFileWatcher.Instance.Subscribe(exitFile);
            // The init gone from /proc also counts for a stop, checked once per wake-up (not polled): under load
            // conmon writes its file a few milliseconds after the exit, and a deadline that a joining "timeout 0"
            // moved earlier must not turn an exit already done into a SIGKILL. The code waits for the file.
            if (ExitFile.TryRead(exitFile) is not null || (processExitCounts && ProcessWatch.HasExited(pid)))
            {
                return true;
            }

            if (!monitor.IsAlive())
            {
                // It may have written the file and exited between the two looks; else no file will come, and
                // the kernel's view is all that is left.
                return ExitFile.TryRead(exitFile) is not null
                       || (processExitCounts && await ProcessWatch.WaitForExitAsync(pid, deadline, cancellationToken).ConfigureAwait(false));
            }

            var remaining = deadline.EndsAtUtc - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }

            await Task.WhenAny(subscription.Changed, Task.Delay(remaining < MonitorCheckInterval ? remaining : MonitorCheckInterval, cancellationToken))
                .ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
