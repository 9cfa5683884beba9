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

    /// <summary>
    /// <paramref name="previous"/> with the section of each of <paramref name="reports"/> (a "### title" and what follows
    /// it, up to the next section or the analysis) replaced, or added after the last section when it had none.
    /// </summary>
    public static string Merge(string previous, IReadOnlyList<ScenarioReport> reports)
    {
        var analysisAt = previous.IndexOf(AnalysisMarker, StringComparison.Ordinal);
        var figures = analysisAt >= 0 ? previous[..analysisAt] : previous;
        var analysis = analysisAt >= 0 ? previous[analysisAt..] : "";
        foreach (var report in reports)
        {
            var dated = report with { Notes = [.. report.Notes, $"This section: run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on its own (`{report.Command}`), merged into the last full run's report."] };
            var section = string.Join('\n', Section(dated)) + "\n";
            var heading = "### " + TitleStem(report.Title);
            var at = figures.IndexOf(heading, StringComparison.Ordinal);
            if (at < 0)
            {
                figures = figures.TrimEnd('\n') + "\n\n" + section;
                continue;
            }

            var next = figures.IndexOf("\n### ", at + heading.Length, StringComparison.Ordinal);
            figures = figures[..at] + section + (next < 0 ? "" : figures[(next + 1)..]);
        }

        return figures.TrimEnd('\n') + "\n\n" + analysis;
    }

    /// <summary>A title without its run-dependent figures in parentheses: "ert against podman (7 paired runs)" → "ert against podman".</summary>
    private static string TitleStem(string title) => title.Split(" (", 2)[0];

    private static IEnumerable<string> Section(ScenarioReport report) =>
        [$"### {report.Title}", "", .. report.Table, "", .. report.Ratios.Select(r => "- " + r), .. report.Notes.Select(n => "- " + n), ""];

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
            lines.AddRange(Section(report));
        }

        return string.Join('\n', lines);
    }

    private static string Memory() =>
        (File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] is var kib
            ? long.Parse(kib, System.Globalization.CultureInfo.InvariantCulture) / 1024 / 1024 : 0).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Os() =>
        File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"') ?? "Linux";
}
