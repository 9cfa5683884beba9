using System.Collections.Concurrent;
using System.Diagnostics;

namespace EventRuntime.Client.Tests.Support;

/// <summary>
/// An executable of this repository (built in the tests' configuration) as a child process whose output
/// lines are collected as they come: <see cref="Ert"/>, the subscriber example.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> stdout = new();
    private readonly ConcurrentQueue<string> stderr = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly TaskCompletionSource stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly string executable;

    private ChildProcess(Process process, string executable)
    {
        this.process = process;
        this.executable = executable;
    }

    /// <summary>src/&lt;project&gt;/bin/&lt;Configuration&gt;/net10.0/&lt;name&gt;, next to the tests' own tests/&lt;project&gt;/bin/&lt;Configuration&gt;/net10.0/.</summary>
    public static string BuiltExecutable(string project, string name)
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var configuration = testBin.Parent!.Name;
        var repo = testBin;
        while (repo is not null && !File.Exists(Path.Combine(repo.FullName, "EventRuntime.sln")))
        {
            repo = repo.Parent;
        }

        var path = Path.Combine(repo?.FullName ?? throw new InvalidOperationException("EventRuntime.sln not found above " + testBin),
            "src", project, "bin", configuration, testBin.Name, name);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build src/{project} in {configuration}");
    }

    public IReadOnlyList<string> StdoutLines => [.. stdout];

    public IReadOnlyList<string> StderrLines => [.. stderr];

    /// <summary>
    /// Starts <paramref name="executable"/> with SIGINT handled as a terminal's Ctrl-C would find it. A child inherits an
    /// ignored SIGINT, and a test runner started in the background by a script (bash's <c>&amp;</c> without job control)
    /// has SIGINT ignored: .NET then keeps it ignored, as every Unix program does for <c>nohup</c> and background jobs,
    /// and <see cref="InterruptAsync"/> would reach a process that cannot hear it. coreutils' <c>env</c> resets it and
    /// execs the executable in the same process.
    /// </summary>
    public static ChildProcess Start(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var startInfo = new ProcessStartInfo("/usr/bin/env")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        startInfo.ArgumentList.Add("--default-signal=INT");
        startInfo.ArgumentList.Add(executable);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = startInfo };
        var child = new ChildProcess(process, executable);
        process.OutputDataReceived += (_, e) => child.Receive(e.Data, child.stdout, child.stdoutClosed);
        process.ErrorDataReceived += (_, e) => child.Receive(e.Data, child.stderr, child.stderrClosed);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public async Task<ProcessRun> WaitForExitAsync(TimeSpan within)
    {
        try
        {
            await process.WaitForExitAsync().WaitAsync(within);
            await Task.WhenAll(stdoutClosed.Task, stderrClosed.Task).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{executable} did not exit within {within}; so far:\n{Snapshot()}");
        }

        return new ProcessRun(process.ExitCode, Joined(stdout), Joined(stderr), clock.Elapsed);
    }

    /// <summary>Waits until a line on stderr contains <paramref name="text"/>.</summary>
    public Task WaitForStderrAsync(string text, TimeSpan within) =>
        WaitUntilAsync(() => stderr.Any(line => line.Contains(text, StringComparison.Ordinal)), $"stderr line with '{text}'", within);

    /// <summary>Waits until a line on stdout contains <paramref name="text"/>, and returns it.</summary>
    public async Task<string> WaitForStdoutAsync(string text, TimeSpan within)
    {
        await WaitUntilAsync(() => stdout.Any(line => line.Contains(text, StringComparison.Ordinal)), $"stdout line with '{text}'", within);
        return stdout.First(line => line.Contains(text, StringComparison.Ordinal));
    }

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
