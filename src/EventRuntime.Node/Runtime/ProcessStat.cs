using System.Globalization;

namespace EventRuntime.Node.Runtime;

/// <summary>The two facts of <c>/proc/PID/stat</c> that say whether a process still runs, and which one it is.</summary>
internal sealed record ProcessStat(char State, ulong StartTime)
{
    /// <summary>Exited, but not yet reaped (Z) or being torn down (X): for a stop, that is gone.</summary>
    public bool HasExited => State is 'Z' or 'X';

    /// <summary>The kernel's own words for the process's state (<c>/proc/PID/status</c>, e.g. "D (disk sleep)"), or "gone".</summary>
    public static string DescribeState(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("State:", StringComparison.Ordinal));
            return line is null ? "unknown" : line["State:".Length..].Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return "gone";
        }
    }

    /// <summary>The process's stat, or null when no process has that pid.</summary>
    public static ProcessStat? Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }

        // Fields follow the ")" that closes the command name (which may hold spaces): state is field 3 and
        // the start time (clock ticks after boot) field 22, so they are the 1st and 20th after the name.
        var afterName = stat.LastIndexOf(')');
        var fields = afterName < 0 ? [] : stat[(afterName + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20 || fields[0].Length != 1 || !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var startTime))
        {
            throw new FormatException($"/proc/{pid}/stat is not in the kernel's format");
        }

        return new ProcessStat(fields[0][0], startTime);
    }
}
