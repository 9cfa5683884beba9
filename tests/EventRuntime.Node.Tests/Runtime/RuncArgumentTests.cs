using EventRuntime.Node.Runtime;

namespace EventRuntime.Node.Tests.Runtime;

// A script stands in for runc and records its arguments, so the exact command line can be checked.
public sealed class RuncArgumentTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("eventruntime-args-").FullName;
    private readonly string argumentLog;
    private readonly RuncRuntime runtime;

    public RuncArgumentTests()
    {
        argumentLog = Path.Combine(directory, "arguments.log");
        var script = Path.Combine(directory, "args-runc");
        // One argument per line, then a blank line per call; answers like runc for a missing container.
        File.WriteAllText(script, $"#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{argumentLog}'; done\necho >> '{argumentLog}'\necho 'container does not exist' >&2\nexit 1\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        runtime = new RuncRuntime(new RuntimeOptions { Path = script, Root = Path.Combine(directory, "root") });
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static TheoryData<string, Func<IOciRuntime, string, Task>, string[]> Verbs => new()
    {
        { "state", (r, id) => r.StateAsync(id, CancellationToken.None), ["state", "--", "ID"] },
        { "kill", (r, id) => r.KillAsync(id, Signals.Term, all: false, CancellationToken.None), ["kill", "--", "ID", "SIGTERM"] },
        { "kill --all", (r, id) => r.KillAsync(id, Signals.Kill, all: true, CancellationToken.None), ["kill", "--all", "--", "ID", "SIGKILL"] },
        { "pause", (r, id) => r.PauseAsync(id, CancellationToken.None), ["pause", "--", "ID"] },
        { "resume", (r, id) => r.ResumeAsync(id, CancellationToken.None), ["resume", "--", "ID"] },
        { "start", (r, id) => r.StartAsync(id, CancellationToken.None), ["start", "--", "ID"] },
        { "delete", (r, id) => r.DeleteAsync(id, force: false, CancellationToken.None), ["delete", "--", "ID"] },
        { "delete --force", (r, id) => r.DeleteAsync(id, force: true, CancellationToken.None), ["delete", "--force", "--", "ID"] },
    };

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task The_container_id_always_follows_a_double_dash(string description, Func<IOciRuntime, string, Task> call, string[] expected)
    {
        await Assert.ThrowsAsync<RuntimeException>(() => call(runtime, "fz-web"));

        var calls = Calls();
        Assert.True(calls.Count == 1, description);
        Assert.Equal(["--root", Path.Combine(directory, "root"), .. expected.Select(a => a == "ID" ? "fz-web" : a)], calls[0]);
    }

    public static TheoryData<string> HostileIds => new() { "--root=/", "-h", "../../etc", "a/b", "", "fz web", "fz-\n--all" };

    [Theory]
    [MemberData(nameof(HostileIds))]
    public async Task A_hostile_id_never_reaches_the_runtime_for_any_verb(string id)
    {
        foreach (var (_, call, _) in Verbs.Select(row => ((string)row[0], (Func<IOciRuntime, string, Task>)row[1], (string[])row[2])))
        {
            var error = await Assert.ThrowsAsync<RuntimeException>(() => call(runtime, id));
            Assert.Contains("not called", error.Message, StringComparison.Ordinal);
        }

        var create = await Assert.ThrowsAsync<RuntimeException>(() => runtime.CreateAsync(id, directory, MonitorFilesIn(directory), CancellationToken.None));
        Assert.Contains("not called", create.Message, StringComparison.Ordinal);
        Assert.Empty(Calls());
    }

    private static MonitorFiles MonitorFilesIn(string directory) => new(
        Path.Combine(directory, "log"), Path.Combine(directory, "exits"), Path.Combine(directory, "init.pid"),
        Path.Combine(directory, "conmon.pid"), Path.Combine(directory, "runtime.log"), Path.Combine(directory, "sockets"));

    private List<string[]> Calls()
    {
        if (!File.Exists(argumentLog))
        {
            return [];
        }

        var text = File.ReadAllText(argumentLog);
        return text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(call => call.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
    }
}
