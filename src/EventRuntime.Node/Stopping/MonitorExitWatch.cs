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

    public async Task<bool> WaitForExitAsync(GraceDeadline deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Subscribe, then look: an exit file written between the two still wakes the wait.
            using var subscription = ExitFileWatcher.Instance.Subscribe(exitFile);
            // The init gone from /proc also counts, checked once per wake-up (not polled): under load conmon
            // writes its file a few milliseconds after the exit, and a deadline that a joining "timeout 0"
            // moved earlier must not turn an exit already done into a SIGKILL. The code waits for the file.
            if (ExitFile.TryRead(exitFile) is not null || ProcessWatch.HasExited(pid))
            {
                return true;
            }

            if (!monitor.IsAlive())
            {
                // No exit file will come: the kernel's view is all that is left.
                return await ProcessWatch.WaitForExitAsync(pid, deadline, cancellationToken).ConfigureAwait(false);
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
