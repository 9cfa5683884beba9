using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;

namespace EventRuntime.Node.Tests.Runtime;

// The state file read must say what `runc state` says, in every state a container can be in: both are
// asked about the same real containers, one runc --root per test.
public sealed class RuncStateFileTests : IAsyncLifetime
{
    private readonly RuncSandbox sandbox = new();
    private readonly RuncRuntime fromFile;
    private readonly RuncRuntime fromCommand;

    public RuncStateFileTests()
    {
        fromFile = new RuncRuntime(new RuntimeOptions { Root = sandbox.RuntimeOptions.Root, StatusSource = RuntimeStatusSource.StateFile });
        fromCommand = new RuncRuntime(new RuntimeOptions { Root = sandbox.RuntimeOptions.Root, StatusSource = RuntimeStatusSource.Command });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await sandbox.DisposeAsync();

    [Fact]
    public async Task Running_paused_resumed_and_exited_read_the_same_as_runc_state()
    {
        var record = await sandbox.StartAsync("sf-life", BusyboxRootfs.TrapsTerm);
        await AssertBothSay("sf-life", RuntimeStatus.Running, record.Bundle);

        await fromCommand.PauseAsync("sf-life", CancellationToken.None);
        await AssertBothSay("sf-life", RuntimeStatus.Paused, record.Bundle);

        await fromCommand.ResumeAsync("sf-life", CancellationToken.None);
        await AssertBothSay("sf-life", RuntimeStatus.Running, record.Bundle);

        await fromCommand.KillAsync("sf-life", Signals.Term, all: false, CancellationToken.None);
        Assert.True(await sandbox.WaitStoppedAsync("sf-life", TimeSpan.FromSeconds(10)));
        await AssertBothSay("sf-life", RuntimeStatus.Stopped, record.Bundle);
    }

    [Fact]
    public async Task A_created_but_not_started_container_reads_created()
    {
        // A second container on the first one's bundle, left waiting at create.
        var record = await sandbox.StartAsync("sf-first", BusyboxRootfs.TrapsTerm);
        await sandbox.CreatingRuntime.CreateAsync("sf-created", record.Bundle, sandbox.Paths.MonitorFilesOf("sf-created"), CancellationToken.None);
        try
        {
            await AssertBothSay("sf-created", RuntimeStatus.Created, record.Bundle);
        }
        finally
        {
            await sandbox.CreatingRuntime.DeleteAsync("sf-created", force: true, CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_container_runc_does_not_hold_is_the_same_typed_not_found()
    {
        var fileError = await Assert.ThrowsAsync<RuntimeException>(() => fromFile.StateAsync("sf-missing", CancellationToken.None));
        var commandError = await Assert.ThrowsAsync<RuntimeException>(() => fromCommand.StateAsync("sf-missing", CancellationToken.None));

        Assert.Equal(RuntimeErrorKind.NotFound, fileError.Kind);
        Assert.Equal(commandError.Kind, fileError.Kind);
        Assert.StartsWith("runc state: ", fileError.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", fileError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reused_pid_with_another_start_time_is_stopped()
    {
        // The test process stands in for an init whose pid the kernel has given to someone else.
        var self = Environment.ProcessId;
        var startTime = StartTimeOf(self);
        WriteStateFile("sf-reused", self, startTime + 1);
        Assert.Equal(RuntimeStatus.Stopped, (await fromFile.StateAsync("sf-reused", CancellationToken.None)).Status);

        WriteStateFile("sf-reused", self, startTime);
        var state = await fromFile.StateAsync("sf-reused", CancellationToken.None);
        Assert.Equal(RuntimeStatus.Running, state.Status);
        Assert.Equal(self, state.Pid);
    }

    [Fact]
    public async Task A_state_file_runc_1_1_would_not_write_is_answered_by_the_runc_command()
    {
        var directory = Directory.CreateDirectory(Path.Combine(sandbox.RuntimeOptions.Root, "sf-odd")).FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "state.json"), "{\"id\":\"sf-odd\"}");

        // The file names no init process; runc itself then decides (it cannot load this container either).
        var error = await Assert.ThrowsAsync<RuntimeException>(() => fromFile.StateAsync("sf-odd", CancellationToken.None));
        var commandError = await Assert.ThrowsAsync<RuntimeException>(() => fromCommand.StateAsync("sf-odd", CancellationToken.None));
        // Both are runc's own answer, each stamped with the second runc gave it (time="…"): all but the stamp must agree.
        Assert.Equal(commandError.Kind, error.Kind);
        Assert.Equal(WithoutRuncTime(commandError.Message), WithoutRuncTime(error.Message));
    }

    private static string WithoutRuncTime(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, "time=\"[^\"]*\"", "time=\"…\"");

    [Fact]
    public void Auto_reads_the_file_only_for_a_binary_named_runc()
    {
        Assert.True(new RuntimeOptions { Path = "runc" }.ReadsStateFile);
        Assert.True(new RuntimeOptions { Path = "/usr/sbin/runc" }.ReadsStateFile);
        Assert.False(new RuntimeOptions { Path = "/usr/bin/kata-runtime" }.ReadsStateFile);
        Assert.False(new RuntimeOptions { Path = "runc", StatusSource = RuntimeStatusSource.Command }.ReadsStateFile);
        Assert.True(new RuntimeOptions { Path = "crun", StatusSource = RuntimeStatusSource.StateFile }.ReadsStateFile);
    }

    private async Task AssertBothSay(string id, RuntimeStatus expected, string bundle)
    {
        var fileState = await fromFile.StateAsync(id, CancellationToken.None);
        var commandState = await fromCommand.StateAsync(id, CancellationToken.None);

        Assert.Equal(expected, commandState.Status);
        Assert.Equal(commandState, fileState);
        Assert.Equal(bundle, fileState.Bundle);
    }

    private void WriteStateFile(string id, int pid, ulong startTime)
    {
        var directory = Directory.CreateDirectory(Path.Combine(sandbox.RuntimeOptions.Root, id)).FullName;
        File.WriteAllText(Path.Combine(directory, "state.json"),
            $"{{\"id\":\"{id}\",\"init_process_pid\":{pid},\"init_process_start\":{startTime},\"cgroup_paths\":{{\"freezer\":\"{Path.Combine(sandbox.Root, "no-such-cgroup")}\"}},\"config\":{{\"labels\":[\"bundle=/b\"]}}}}");
    }

    private static ulong StartTimeOf(int pid) => ProcessStat.Read(pid)!.StartTime;
}
