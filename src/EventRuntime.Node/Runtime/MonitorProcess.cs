namespace EventRuntime.Node.Runtime;

/// <summary>
/// A container's conmon, told apart from a later process that the kernel gave the same pid by its start
/// time (clock ticks after boot, from <c>/proc/PID/stat</c>).
/// </summary>
public sealed record MonitorProcess(int Pid, ulong StartTime)
{
    /// <summary>Whether this very conmon still runs (a zombie does not count).</summary>
    public bool IsAlive()
    {
        try
        {
            return Pid > 0 && ProcessStat.Read(Pid) is { HasExited: false } stat && stat.StartTime == StartTime;
        }
        catch (FormatException)
        {
            // An unreadable stat is not a death: the caller's deadline still bounds its wait.
            return true;
        }
    }

    /// <summary>The process with <paramref name="pid"/> as it runs now; null when it is gone.</summary>
    public static MonitorProcess? Find(int pid) =>
        ProcessStat.Read(pid) is { HasExited: false } stat ? new MonitorProcess(pid, stat.StartTime) : null;
}
