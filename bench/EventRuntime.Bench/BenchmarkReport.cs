namespace EventRuntime.Bench;

internal static class BenchmarkReport
{
    /// <summary>Everything from this line on in an existing report is written by people and kept on every run.</summary>
    public const string AnalysisMarker = "<!-- analysis: kept by eventruntime-bench -->";

    /// <summary>The run's figures, followed by the kept analysis of <paramref name="previous"/>, if any.</summary>
    public static string WithAnalysisOf(string generated, string? previous) =>
        previous is not null && previous.IndexOf(AnalysisMarker, StringComparison.Ordinal) is var at and >= 0
            ? generated + "\n" + previous[at..]
            : generated;

    public static string Markdown(IReadOnlyList<ScenarioReport> reports, string arguments)
    {
        var lines = new List<string>
        {
            "# Benchmarks",
            "",
            "Written by `bash infra/bench/run.sh` (the figures below are its last full run here). Each scenario runs its",
            "baseline in the same invocation, so the ratios compare like with like on the same machine at the same time.",
            "",
            $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {Memory()} GiB, {Os()}, .NET {Environment.Version}.",
            $"Command: `bash infra/bench/run.sh {System.Text.RegularExpressions.Regex.Replace(arguments, @"\s*--out\s+\S+", "")}`",
            "",
        };
        foreach (var report in reports)
        {
            lines.Add($"### {report.Title}");
            lines.Add("");
            lines.AddRange(report.Table);
            lines.Add("");
            lines.AddRange(report.Ratios.Select(r => "- " + r));
            lines.AddRange(report.Notes.Select(n => "- " + n));
            lines.Add("");
        }

        return string.Join('\n', lines);
    }

    private static string Memory() =>
        (File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] is var kib
            ? long.Parse(kib, System.Globalization.CultureInfo.InvariantCulture) / 1024 / 1024 : 0).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Os() =>
        File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"') ?? "Linux";
}
