namespace EventRuntime.IntegrationTests;

/// <summary>
/// Figures the fault tests measured, written where infra/ci/test.sh collects them into docs/reliability.md.
/// One line per scenario, replaced on every run.
/// </summary>
internal static class ReliabilityReport
{
    public static void Record(string scenario, string figures)
    {
        var directory = Environment.GetEnvironmentVariable("EVENTRUNTIME_REPORT_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), "eventruntime-reliability");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, scenario + ".txt"), $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC: {figures}\n");
    }
}
