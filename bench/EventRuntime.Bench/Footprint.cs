namespace EventRuntime.Bench;

/// <summary>This process's resident memory, managed heap, threads and open files at one moment.</summary>
internal sealed record Footprint(string When, long RssKiB, long ManagedBytes, long Threads, int OpenFiles)
{
    /// <param name="when">What the moment is.</param>
    /// <param name="collect">Collect garbage first, so that the managed heap counts only what is alive.</param>
    public static Footprint Now(string when, bool collect = false) =>
        new(when, ProcessFootprint.RssKiB(Environment.ProcessId), GC.GetTotalMemory(collect),
            ProcessFootprint.Threads(Environment.ProcessId), ProcessFootprint.OpenFiles(Environment.ProcessId));

    public static Footprint Max(Footprint a, Footprint b) =>
        new(a.When, Math.Max(a.RssKiB, b.RssKiB), Math.Max(a.ManagedBytes, b.ManagedBytes), Math.Max(a.Threads, b.Threads), Math.Max(a.OpenFiles, b.OpenFiles));

    public string Row() => $"| {When} | {RssKiB / 1024.0:0.0} | {ManagedBytes / 1024.0 / 1024.0:0.0} | {Threads} | {OpenFiles} |";

    public string Describe() => $"RSS {RssKiB / 1024.0:0} MiB, managed heap {ManagedBytes / 1024.0 / 1024.0:0} MiB, {Threads} threads, {OpenFiles} open files";
}
