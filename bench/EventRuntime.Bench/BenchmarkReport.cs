namespace EventRuntime.Bench;

internal static class BenchmarkReport
{
    public static string Markdown(IReadOnlyList<ScenarioReport> reports, string arguments)
    {
        var lines = new List<string>
        {
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
