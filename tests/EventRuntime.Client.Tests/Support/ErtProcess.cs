using System.Collections.Concurrent;
using System.Diagnostics;

namespace EventRuntime.Client.Tests.Support;

/// <summary>
/// The real ert executable (src/EventRuntime.Cli, built in the tests' configuration) as a child process,
/// with its own empty config directory and no RABBITMQ_URL unless a test gives one.
/// </summary>
internal sealed class ErtProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> stdout = new();
    private readonly ConcurrentQueue<string> stderr = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly TaskCompletionSource stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ErtProcess(Process process) => this.process = process;

    public static string ExecutablePath
    {
        get
        {
            // tests/<project>/bin/<Configuration>/net10.0/ → src/EventRuntime.Cli/bin/<Configuration>/net10.0/ert
            var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
            var configuration = testBin.Parent!.Name;
            var repo = testBin;
            while (repo is not null && !File.Exists(Path.Combine(repo.FullName, "EventRuntime.sln")))
            {
                repo = repo.Parent;
            }

            var path = Path.Combine(repo?.FullName ?? throw new InvalidOperationException("EventRuntime.sln not found above " + testBin),
                "src", "EventRuntime.Cli", "bin", configuration, testBin.Name, "ert");
            return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build src/EventRuntime.Cli in {configuration}");
        }
    }

    public IReadOnlyList<string> StdoutLines => [.. stdout];

    public IReadOnlyList<string> StderrLines => [.. stderr];

    public static ErtProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(ExecutablePath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Remove("RABBITMQ_URL");
        startInfo.Environment.Remove("ERT_CONFIG");
        startInfo.Environment["XDG_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "ert-test-no-config");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo };
        var ert = new ErtProcess(process);
        process.OutputDataReceived += (_, e) => ert.Receive(e.Data, ert.stdout, ert.stdoutClosed);
        process.ErrorDataReceived += (_, e) => ert.Receive(e.Data, ert.stderr, ert.stderrClosed);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return ert;
    }

    /// <summary>Runs ert to its end; fails the test when it takes longer than <paramref name="within"/>.</summary>
    public static async Task<ErtRun> RunAsync(IEnumerable<string> arguments, TimeSpan? within = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        await using var ert = Start(arguments, environment);
        return await ert.WaitForExitAsync(within ?? TimeSpan.FromSeconds(90));
    }

    public async Task<ErtRun> WaitForExitAsync(TimeSpan within)
    {
        try
        {
            await process.WaitForExitAsync().WaitAsync(within);
            await Task.WhenAll(stdoutClosed.Task, stderrClosed.Task).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"ert did not exit within {within}; so far:\n{Snapshot()}");
        }

        return new ErtRun(process.ExitCode, Joined(stdout), Joined(stderr), clock.Elapsed);
    }

    /// <summary>Waits until a line on stderr contains <paramref name="text"/>.</summary>
    public Task WaitForStderrAsync(string text, TimeSpan within) =>
        WaitUntilAsync(() => stderr.Any(line => line.Contains(text, StringComparison.Ordinal)), $"stderr line with '{text}'", within);

    /// <summary>Waits until stdout has at least <paramref name="count"/> lines.</summary>
    public async Task<IReadOnlyList<string>> WaitForStdoutLinesAsync(int count, TimeSpan within)
    {
        await WaitUntilAsync(() => stdout.Count >= count, $"{count} stdout lines", within);
        return StdoutLines;
    }

    /// <summary>Ctrl-C: SIGINT to the process.</summary>
    public async Task InterruptAsync()
    {
        using var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -INT {process.Id} exited with {kill.ExitCode}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan within)
    {
        var deadline = clock.Elapsed + within;
        while (!condition())
        {
            if (clock.Elapsed > deadline || (process.HasExited && !condition()))
            {
                await Task.Delay(100);
                if (condition())
                {
                    return;
                }

                throw new TimeoutException($"no {what} within {within} (exited: {process.HasExited}); so far:\n{Snapshot()}");
            }

            await Task.Delay(25);
        }
    }

    private string Snapshot() => $"--- stdout\n{Joined(stdout)}--- stderr\n{Joined(stderr)}";

    private void Receive(string? line, ConcurrentQueue<string> lines, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
        }
        else
        {
            lines.Enqueue(line);
        }
    }

    private static string Joined(IEnumerable<string> lines) => string.Concat(lines.Select(line => line + "\n"));
}
