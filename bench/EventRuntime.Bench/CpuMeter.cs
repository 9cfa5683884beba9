using System.Diagnostics;

namespace EventRuntime.Bench;

/// <summary>CPU time used so far by this process and by the broker's container.</summary>
internal readonly record struct CpuReading(TimeSpan Process, TimeSpan? Broker)
{
    public CpuReading Since(CpuReading start) => new(Process - start.Process, Broker - start.Broker);
}

/// <summary>
/// Reads the CPU time this process and the broker's container have used, so that a scenario can report
/// what a message costs in CPU as well as in wall time. Wall time depends on what else the machine runs;
/// CPU per message much less. The broker's figure comes from its container's cgroup (v1 cpuacct or v2 cpu.stat).
/// </summary>
internal sealed class CpuMeter
{
    private readonly string? brokerUsageFile;

    private CpuMeter(string? brokerUsageFile) => this.brokerUsageFile = brokerUsageFile;

    public static async Task<CpuMeter> ForAsync(Uri broker)
    {
        var stats = await BrokerStats.ForAsync([broker]);
        if (stats.Container is not { } shortId)
        {
            return new CpuMeter(null);
        }

        string[] roots = ["/sys/fs/cgroup/cpuacct/docker", "/sys/fs/cgroup/system.slice"];
        var file = roots.Where(Directory.Exists)
            .SelectMany(root => Directory.EnumerateDirectories(root))
            .Where(dir => Path.GetFileName(dir).Replace("docker-", "", StringComparison.Ordinal).StartsWith(shortId, StringComparison.Ordinal))
            .Select(dir => File.Exists(Path.Combine(dir, "cpuacct.usage")) ? Path.Combine(dir, "cpuacct.usage") : Path.Combine(dir, "cpu.stat"))
            .FirstOrDefault(File.Exists);
        return new CpuMeter(file);
    }

    public CpuReading Read()
    {
        using var self = Process.GetCurrentProcess();
        return new CpuReading(self.TotalProcessorTime, BrokerCpu());
    }

    private TimeSpan? BrokerCpu()
    {
        if (brokerUsageFile is null)
        {
            return null;
        }

        var text = File.ReadAllText(brokerUsageFile);
        if (brokerUsageFile.EndsWith("cpuacct.usage", StringComparison.Ordinal))
        {
            return TimeSpan.FromTicks(long.Parse(text.Trim(), System.Globalization.CultureInfo.InvariantCulture) / 100);
        }

        // cgroup v2: "usage_usec N" is the first line of cpu.stat.
        var usec = text.Split('\n').First(line => line.StartsWith("usage_usec ", StringComparison.Ordinal))["usage_usec ".Length..];
        return TimeSpan.FromTicks(long.Parse(usec, System.Globalization.CultureInfo.InvariantCulture) * 10);
    }
}
