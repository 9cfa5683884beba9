using System.Diagnostics;

namespace EventRuntime.TestSupport;

/// <summary>
/// The real node executable (src/EventRuntime.Node, built in the same configuration as the tests) as a
/// child process, so that tests can kill it with SIGKILL and start it again on the same state.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly string[] arguments;
    private readonly string logPath;
    private Process? process;
    private string? parentDirectory;

    public AgentProcess(string name, RuncSandbox sandbox, Uri broker, string logPath, params string[] extraArguments)
    {
        Name = name;
        this.logPath = logPath;
        arguments =
        [
            "agent", "--node", name, "--state-dir", sandbox.Paths.StateDirectory,
            "--runtime", sandbox.RuntimeOptions.Path, "--runtime-root", sandbox.RuntimeOptions.Root,
            $"--RabbitMq:Url={broker}", .. extraArguments,
        ];
    }

    /// <summary>
    /// When set, the agent runs as the child of a shell of this name (a copy of /bin/sh) instead of replacing the
    /// shell: Microsoft.Extensions.Hosting.Systemd takes a process whose parent is named "systemd" for a service.
    /// </summary>
    public string? ParentName { get; set; }

    /// <summary>Extra environment variables for the next <see cref="Start"/>.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public string Name { get; }

    public int Starts { get; private set; }

    public static string ExecutablePath
    {
        get
        {
            // tests/<project>/bin/<Configuration>/net10.0/ → src/EventRuntime.Node/bin/<Configuration>/net10.0/
            var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
            var configuration = testBin.Parent!.Name;
            var path = Path.Combine(Repository.Root,
                "src", "EventRuntime.Node", "bin", configuration, testBin.Name, "eventruntime-node");
            return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build src/EventRuntime.Node in {configuration}");
        }
    }

    public bool HasExited => process is null || process.HasExited;

    public int ProcessId => process?.Id ?? throw new InvalidOperationException("never started");

    public int ExitCode => process?.ExitCode ?? throw new InvalidOperationException("never started");

    public void Start()
    {
        var startInfo = new ProcessStartInfo(ParentName is null ? "/bin/sh" : ParentShell(ParentName, ref parentDirectory))
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
        };
        // The shell appends the agent's output to the log file and execs it: the pid is the agent's own.
        // Under a named parent the shell stays, passes SIGTERM on and exits with the agent.
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(ParentName is null
            ? "exec \"$@\" >>\"$0\" 2>&1"
            : "\"$@\" >>\"$0\" 2>&1 & agent=$!; trap 'kill -TERM $agent' TERM; wait $agent; wait $agent");
        startInfo.ArgumentList.Add(logPath);
        startInfo.ArgumentList.Add(ExecutablePath);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["Serilog__MinimumLevel__Default"] = "Information";
        foreach (var (key, value) in Environment)
        {
            startInfo.Environment[key] = value;
        }

        process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start " + ExecutablePath);
        Starts++;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: ParentName is not null);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM, as systemd sends on stop.</summary>
    public void Terminate()
    {
        if (process is { HasExited: false })
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        var running = process ?? throw new InvalidOperationException("never started");
        await running.WaitForExitAsync().WaitAsync(within);
        return running.ExitCode;
    }

    public string Log() => File.Exists(logPath) ? File.ReadAllText(logPath) : "";

    /// <summary>Waits until the agent's output contains <paramref name="text"/>; fails when it exits first or 60 s pass.</summary>
    public async Task WaitForLogAsync(string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!Log().Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline || HasExited)
            {
                throw new Xunit.Sdk.XunitException($"agent never logged \"{text}\":\n{Log()}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: ParentName is not null);
            await process.WaitForExitAsync();
        }

        process?.Dispose();
        if (parentDirectory is not null)
        {
            Directory.Delete(parentDirectory, recursive: true);
        }
    }

    private static string ParentShell(string name, ref string? directory)
    {
        directory ??= Directory.CreateTempSubdirectory("eventruntime-parent-").FullName;
        var path = Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            File.Copy("/bin/sh", path);
        }

        return path;
    }
}
