using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;

namespace EventRuntime.Node.Tests.Runtime;

// Real runc, a busybox root on a real overlay mount, one runc --root per test.
public sealed class RuncRuntimeTests : IAsyncLifetime
{
    private readonly RuncSandbox sandbox = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await sandbox.DisposeAsync();

    [Fact]
    public async Task State_of_a_running_container_is_running_with_a_pid()
    {
        await sandbox.StartAsync("running", BusyboxRootfs.TrapsTerm);

        var state = await sandbox.Runtime.StateAsync("running", CancellationToken.None);

        Assert.Equal(RuntimeStatus.Running, state.Status);
        Assert.True(state.Pid > 0);
        Assert.Equal("running", state.Id);
    }

    [Fact]
    public async Task State_of_a_paused_container_is_paused_and_resume_makes_it_running_again()
    {
        await sandbox.StartAsync("paused", BusyboxRootfs.TrapsTerm);

        await sandbox.Runtime.PauseAsync("paused", CancellationToken.None);
        Assert.Equal(RuntimeStatus.Paused, (await sandbox.Runtime.StateAsync("paused", CancellationToken.None)).Status);

        await sandbox.Runtime.ResumeAsync("paused", CancellationToken.None);
        Assert.Equal(RuntimeStatus.Running, (await sandbox.Runtime.StateAsync("paused", CancellationToken.None)).Status);
    }

    [Fact]
    public async Task State_of_an_exited_container_is_stopped_with_pid_zero()
    {
        await sandbox.StartAsync("exits", ["/bin/true"]);

        Assert.True(await sandbox.WaitStoppedAsync("exits", TimeSpan.FromSeconds(10)));
        var state = await sandbox.Runtime.StateAsync("exits", CancellationToken.None);
        Assert.Equal(RuntimeStatus.Stopped, state.Status);
        Assert.Equal(0, state.Pid);
    }

    [Fact]
    public async Task State_of_a_missing_container_is_a_typed_not_found()
    {
        var error = await Assert.ThrowsAsync<RuntimeException>(() => sandbox.Runtime.StateAsync("missing", CancellationToken.None));

        Assert.Equal(RuntimeErrorKind.NotFound, error.Kind);
        Assert.StartsWith("runc state: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trapping_container_is_started_with_its_TERM_handler_set_and_sleep_sets_none()
    {
        await sandbox.StartAsync("handler", BusyboxRootfs.TrapsTerm);
        await sandbox.StartAsync("nohandler", BusyboxRootfs.IgnoresTerm);

        Assert.True(SignalHandlers.Catches((await sandbox.StateAsync("handler")).Pid, SignalHandlers.Term));
        Assert.False(SignalHandlers.Catches((await sandbox.StateAsync("nohandler")).Pid, SignalHandlers.Term));
    }

    [Fact]
    public async Task Kill_TERM_stops_a_container_that_traps_TERM()
    {
        await sandbox.StartAsync("traps", BusyboxRootfs.TrapsTerm);

        await sandbox.Runtime.KillAsync("traps", Signals.Term, all: false, CancellationToken.None);

        Assert.True(await sandbox.WaitStoppedAsync("traps", TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_container_that_ignores_TERM_only_stops_on_KILL()
    {
        await sandbox.StartAsync("ignores", BusyboxRootfs.IgnoresTerm);

        await sandbox.Runtime.KillAsync("ignores", Signals.Term, all: false, CancellationToken.None);
        Assert.False(await sandbox.WaitStoppedAsync("ignores", TimeSpan.FromSeconds(1.5)));
        Assert.Equal(RuntimeStatus.Running, (await sandbox.StateAsync("ignores")).Status);

        await sandbox.Runtime.KillAsync("ignores", Signals.Kill, all: true, CancellationToken.None);
        Assert.True(await sandbox.WaitStoppedAsync("ignores", TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Kill_of_a_missing_container_is_a_typed_not_found()
    {
        var error = await Assert.ThrowsAsync<RuntimeException>(
            () => sandbox.Runtime.KillAsync("missing", Signals.Term, all: false, CancellationToken.None));

        Assert.Equal(RuntimeErrorKind.NotFound, error.Kind);
        Assert.StartsWith("runc kill: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kill_of_a_stopped_container_is_a_typed_not_running()
    {
        await sandbox.StartAsync("done", ["/bin/true"]);
        Assert.True(await sandbox.WaitStoppedAsync("done", TimeSpan.FromSeconds(10)));

        var error = await Assert.ThrowsAsync<RuntimeException>(
            () => sandbox.Runtime.KillAsync("done", Signals.Term, all: false, CancellationToken.None));

        Assert.Equal(RuntimeErrorKind.NotRunning, error.Kind);
    }
}
