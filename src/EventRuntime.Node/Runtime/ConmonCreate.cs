using System.Globalization;
using System.Text.Json;

namespace EventRuntime.Node.Runtime;

/// <summary>
/// Creates a container under conmon and waits until it is created. conmon returns at once and goes on in
/// the background, so the answer comes from the files: the init's pid file (written by the runtime when
/// the create succeeded) or conmon's death without one (the create failed; the runtime's log says why).
/// </summary>
internal static class ConmonCreate
{
    private static readonly TimeSpan FilePollInterval = TimeSpan.FromMilliseconds(2);

    public static async Task<MonitorProcess> RunAsync(
        string monitorPath, IReadOnlyList<string> arguments, MonitorFiles files, string runtimeName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var verb = $"{runtimeName} create";
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(monitorPath, arguments, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new RuntimeException(RuntimeErrorKind.TimedOut, $"{verb} under conmon: {e.Message}", e);
        }
        catch (RuntimeException e)
        {
            throw new RuntimeException(e.Kind, $"{verb} under conmon: {e.Message}", e);
        }

        if (result.ExitCode != 0)
        {
            var said = LastLine(result.StdErr) ?? LastLine(result.StdOut) ?? $"exit status {result.ExitCode}";
            throw new RuntimeException(RuntimeErrorKind.Failed, $"{verb} under conmon: conmon: {said}");
        }

        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var monitor = ReadPid(files.MonitorPidFile) is { } monitorPid ? MonitorProcess.Find(monitorPid) ?? new MonitorProcess(monitorPid, 0) : null;
            if (ReadPid(files.PidFile) is not null)
            {
                return monitor ?? throw new RuntimeException(RuntimeErrorKind.Failed, $"{verb} under conmon: conmon wrote no pid file {files.MonitorPidFile}");
            }

            if (monitor is { } started && !started.IsAlive() && ReadPid(files.PidFile) is null)
            {
                var reason = RuntimeError(files.RuntimeLog) ?? $"conmon (pid {started.Pid}) exited before the container was created";
                throw new RuntimeException(RuntimeErrorClassifier.Classify(reason), $"{verb}: {reason}");
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new RuntimeException(RuntimeErrorKind.TimedOut,
                    $"{verb} under conmon: no container after {timeout.TotalSeconds:0.###} s (no pid file {files.PidFile})");
            }

            await Task.Delay(FilePollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static int? ReadPid(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    // The last error the runtime logged ({"level":"error","msg":"runc create failed: …"}).
    private static string? RuntimeError(string runtimeLog)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(runtimeLog);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        foreach (var line in lines.Reverse())
        {
            try
            {
                using var entry = JsonDocument.Parse(line);
                if (entry.RootElement.TryGetProperty("level", out var level) && level.GetString() is "error" or "fatal"
                    && entry.RootElement.TryGetProperty("msg", out var message))
                {
                    return message.GetString();
                }
            }
            catch (JsonException)
            {
                // Not JSON (a runtime that ignores --log-format): its last line is quoted below.
            }
        }

        return LastLine(string.Join('\n', lines));
    }

    private static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
}
