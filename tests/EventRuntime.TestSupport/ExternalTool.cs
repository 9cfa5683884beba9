using System.Diagnostics;

namespace EventRuntime.TestSupport;

/// <summary>Runs a command-line tool (systemd-analyze, promtool, dpkg-deb, …) to its end.</summary>
public static class ExternalTool
{
    /// <summary>The exit code and stdout followed by stderr.</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(string fileName, params string[] arguments) =>
        RunAsync(Timeout.InfiniteTimeSpan, fileName, arguments);

    /// <summary>
    /// The exit code and stdout followed by stderr, or, when the tool has not ended within <paramref name="limit"/>, a
    /// <see cref="TimeoutException"/> with what it wrote so far (the tool and its children are killed): a hung tool fails
    /// its test instead of holding the suite until the hang timeout.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan limit, string fileName, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {fileName}");
        // Both pipes at once: a tool that fills one while the other is read would never end.
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} had not ended after {limit.TotalSeconds:0} s and was killed; it wrote:\n{await output}{await errors}");
        }

        return (process.ExitCode, await output + await errors);
    }
}
