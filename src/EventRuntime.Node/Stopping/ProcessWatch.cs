using EventRuntime.Node.Runtime;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// Watches a container's init process through /proc. The stop step asks the kernel whether the process
/// is gone; whether the runtime agrees is the next step's question (VM-based runtimes lag behind).
/// </summary>
internal static class ProcessWatch
{
    // Most processes exit within a few milliseconds of their signal, so the checks start 1 ms apart and
    // back off to 10 ms for the ones that take their grace period: a stop is not made to wait for a
    // fixed poll tick, and a long wait costs no more checks than before.
    private static readonly TimeSpan FirstPollInterval = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan LongestPollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>True once <paramref name="pid"/> no longer runs: no /proc entry, or a zombie waiting for its reaper.</summary>
    public static bool HasExited(int pid)
    {
        try
        {
            return pid <= 0 || ProcessStat.Read(pid) is null or { HasExited: true };
        }
        catch (FormatException)
        {
            // Unreadable is not gone: the grace period and the kill deadline still bound the wait.
            return false;
        }
    }

    /// <summary>Waits until <paramref name="pid"/> exits; false when <paramref name="within"/> passes first.</summary>
    public static Task<bool> WaitForExitAsync(int pid, TimeSpan within, CancellationToken cancellationToken) =>
        WaitForExitAsync(pid, GraceDeadline.After(within), cancellationToken);

    /// <summary>Waits until <paramref name="pid"/> exits; false when <paramref name="deadline"/> passes first, even if it moves earlier meanwhile.</summary>
    public static async Task<bool> WaitForExitAsync(int pid, GraceDeadline deadline, CancellationToken cancellationToken)
    {
        for (var interval = FirstPollInterval; !HasExited(pid); interval = Min(interval * 2, LongestPollInterval))
        {
            if (deadline.HasPassed)
            {
                return false;
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
