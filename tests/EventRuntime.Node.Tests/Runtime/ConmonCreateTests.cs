using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;

namespace EventRuntime.Node.Tests.Runtime;

// Containers are created under a real conmon, with real runc.
public sealed class ConmonCreateTests : IAsyncLifetime
{
    private readonly RuncSandbox sandbox = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await sandbox.DisposeAsync();

    [Fact]
    public async Task The_container_runs_under_its_conmon_which_writes_its_exit_code_and_output()
    {
        var record = await sandbox.StartAsync("watched", ["/bin/sh", "-c", "echo hello; trap 'exit 3' TERM; while true; do sleep 1 & wait $!; done"]);
        var init = (await sandbox.StateAsync("watched")).Pid;

        Assert.NotNull(record.Monitor);
        Assert.True(record.Monitor.IsAlive());
        Assert.Equal(record.Monitor.Pid, ParentOf(init));
        Assert.Equal(sandbox.Paths.MonitorFilesOf("watched").ExitFileOf("watched"), record.ExitFile);
        Assert.Null(ExitFile.TryRead(record.ExitFile!));

        await SignalHandlers.WaitUntilCaughtAsync(init, SignalHandlers.Term, TimeSpan.FromSeconds(10));
        await sandbox.CreatingRuntime.KillAsync("watched", Signals.Term, all: false, CancellationToken.None);

        await Poll.UntilAsync(() => ExitFile.TryRead(record.ExitFile!) is not null, TimeSpan.FromSeconds(10), "conmon's exit file");
        Assert.Equal(3, ExitFile.TryRead(record.ExitFile!));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT[0-9:.]+[+-]\d\d:\d\d stdout F hello$", File.ReadAllLines(record.LogPath!)[0]);
    }

    [Fact]
    public async Task A_create_that_the_runtime_refuses_says_why()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => sandbox.StartAsync("broken", ["/bin/no-such-program"]));

        Assert.Contains("no-such-program", error.Message, StringComparison.Ordinal);
        Assert.False(sandbox.Store.Exists("broken"));
    }

    private static int ParentOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
