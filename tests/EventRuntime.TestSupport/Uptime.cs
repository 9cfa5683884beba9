using System.Globalization;

namespace EventRuntime.TestSupport;

/// <summary>
/// The kernel's /proc/uptime, in seconds (to 10 ms): one clock that the host and a container on it read alike,
/// so a test can compare when the host saw something with when a container's process did.
/// </summary>
public static class Uptime
{
    public static double Now() => Parse(File.ReadAllText("/proc/uptime"));

    public static double Parse(string procUptime) =>
        double.Parse(procUptime.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
}
