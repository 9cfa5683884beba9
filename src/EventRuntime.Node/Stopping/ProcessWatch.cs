namespace EventRuntime.Node.Stopping;

/// <summary>
/// Watches a container's init process through /proc. The stop step asks the kernel whether the process
/// is gone; whether the runtime agrees is the next step's question (VM-based runtimes lag behind).
/// </summary>
internal static class ProcessWatch
{
    /// <summary>How often the process is checked while it is expected to exit.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>True once <paramref name="pid"/> no longer runs: no /proc entry, or a zombie waiting for its reaper.</summary>
    public static bool HasExited(int pid)
    {
        if (pid <= 0)
        {
            return true;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The state letter follows the ")" that closes the command name, which may itself hold spaces.
            var afterName = stat.LastIndexOf(')');
            return afterName > 0 && afterName + 2 < stat.Length && stat[afterName + 2] is 'Z' or 'X';
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return true;
        }
    }

    /// <summary>Waits until <paramref name="pid"/> exits; false when <paramref name="within"/> passes first.</summary>
    public static Task<bool> WaitForExitAsync(int pid, TimeSpan within, CancellationToken cancellationToken) =>
        WaitForExitAsync(pid, GraceDeadline.After(within), cancellationToken);

    /// <summary>Waits until <paramref name="pid"/> exits; false when <paramref name="deadline"/> passes first, even if it moves earlier meanwhile.</summary>
    public static async Task<bool> WaitForExitAsync(int pid, GraceDeadline deadline, CancellationToken cancellationToken)
    {
        while (!HasExited(pid))
        {
            if (deadline.HasPassed)
            {
                return false;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
}
