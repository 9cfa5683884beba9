namespace EventRuntime.Bench;

/// <summary>Resident memory and CPU time of a process, from /proc.</summary>
internal static class ProcessFootprint
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static long RssKiB(int pid) => StatusField(pid, "VmRSS:");

    public static long Threads(int pid) => StatusField(pid, "Threads:");

    public static int OpenFiles(int pid) => Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;

    private static long StatusField(int pid, string name)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(name, StringComparison.Ordinal))
            {
                return long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    /// <summary>User plus system CPU seconds the process and its waited-for children (the runc calls) have used so far.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the name: state is field 3; utime, stime, cutime, cstime are fields 14 to 17 (1-based in proc(5)).
        return fields.Skip(11).Take(4).Sum(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)) / TicksPerSecond;
    }
}
