using System.Diagnostics;

namespace EventRuntime.Bench;

/// <summary>Latency samples and their percentiles.</summary>
internal sealed class Samples(string name)
{
    private readonly List<double> milliseconds = [];

    public string Name { get; } = name;

    public int Count => milliseconds.Count;

    public void Add(TimeSpan elapsed) => milliseconds.Add(elapsed.TotalMilliseconds);

    public double Percentile(double p)
    {
        if (milliseconds.Count == 0)
        {
            return double.NaN;
        }

        var sorted = milliseconds.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    public double Mean => milliseconds.Count == 0 ? double.NaN : milliseconds.Average();

    public double P50 => Percentile(50);

    public double P90 => Percentile(90);

    public double P99 => Percentile(99);
}

internal static class Shell
{
    /// <summary>Runs a command to its end; throws with its output when it fails.</summary>
    public static async Task<string> RunAsync(string fileName, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"cannot start {fileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited {process.ExitCode}: {(await stderr).Trim()}");
        }

        return await stdout;
    }

    /// <summary>Runs a command to its end, timed as a whole process from its start to its exit; throws with its output when it fails.</summary>
    public static async Task<(TimeSpan Elapsed, string Stdout, string Stderr)> TimeAsync(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var (elapsed, exitCode, stdout, stderr) = await TimeAnyExitAsync(fileName, arguments, environment);
        return exitCode == 0
            ? (elapsed, stdout, stderr)
            : throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited {exitCode}: {stdout.Trim()} {stderr.Trim()}");
    }

    /// <summary>As <see cref="TimeAsync"/>, with the exit code instead of an exception: for a run whose failure is a result to report.</summary>
    public static async Task<(TimeSpan Elapsed, int ExitCode, string Stdout, string Stderr)> TimeAnyExitAsync(
        string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            startInfo.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var elapsed = clock.Elapsed;
        return (elapsed, process.ExitCode, await stdout, await stderr);
    }

    public static bool Exists(string fileName) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, fileName)));
}

/// <summary>One scenario's results, as lines of the report.</summary>
/// <param name="Failed">The scenario broke a condition it must meet (not a timing target); the bench then exits non-zero.</param>
internal sealed record ScenarioReport(string Title, string Command, IReadOnlyList<string> Table, IReadOnlyList<string> Ratios, IReadOnlyList<string> Notes, bool Failed = false);
