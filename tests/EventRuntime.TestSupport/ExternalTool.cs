using System.Diagnostics;

namespace EventRuntime.TestSupport;

/// <summary>Runs a command-line tool (systemd-analyze, promtool, dpkg-deb, …) to its end.</summary>
public static class ExternalTool
{
    /// <summary>The exit code and stdout followed by stderr.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, params string[] arguments)
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
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}
