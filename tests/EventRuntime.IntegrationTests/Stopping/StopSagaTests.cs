using System.Diagnostics;
using EventRuntime.Contracts;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Runtime;
using EventRuntime.Node.Storage;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Stopping;

// The stop saga end to end: a real RabbitMQ (Testcontainers), real runc and conmon, real overlay mounts;
// the stops a control plane sends every day also on gVisor's runsc, whose "stopped" the state wait reads
// from runsc's own state command. runsc missing or unable to run fails them: nothing here is skipped.
[Collection(BrokerCollection.Name)]
public sealed class StopSagaTests(RabbitMqBroker broker)
{
    public static TheoryData<string> Runtimes => new() { RuntimeCatalog.Runc, RuntimeCatalog.Runsc };

    // runc's status comes from its state file or its command; runsc has only its command.
    public static TheoryData<string, RuntimeStatusSource> RuntimesAndStatusSources => new()
    {
        { RuntimeCatalog.Runc, RuntimeStatusSource.Command },
        { RuntimeCatalog.Runc, RuntimeStatusSource.StateFile },
        { RuntimeCatalog.Runsc, RuntimeStatusSource.Command },
    };

    [Theory]
    [MemberData(nameof(RuntimesAndStatusSources))]
    public async Task A_running_container_is_stopped_unmounted_and_recorded(string runtime, RuntimeStatusSource statusSource)
    {
        await using var scenario = await StopScenario.StartAsync(broker, settings: StatusFrom(statusSource), runtime: runtime);
        var record = await scenario.Sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);

        var commandId = await scenario.StopAsync("web");
        var stopped = await scenario.Plane.StoppedAsync(commandId);

        Assert.Equal(commandId, stopped.CommandId);
        Assert.Equal(scenario.Node, stopped.Node);
        Assert.Equal("web", stopped.ContainerId);
        Assert.Equal(0, stopped.ExitCode); // its TERM handler's "exit 0", as conmon wrote it
        Assert.Equal(RuntimeStatus.Stopped, (await scenario.Sandbox.StateAsync("web")).Status);
        Assert.DoesNotContain(record.RootfsMount, MountInfo.MountPoints());
        var onDisk = scenario.Sandbox.Store.Get("web");
        Assert.Equal(ContainerStatus.Stopped, onDisk.Status);
        Assert.False(onDisk.StorageMounted);
        Assert.NotNull(onDisk.FinishedAt);
        Assert.Equal(["kill -- web SIGTERM"], scenario.Runtime.CallsOf("kill"));
        AssertStatusReadFrom(statusSource, scenario.Runtime);
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task A_container_that_ignores_TERM_is_killed_when_its_grace_period_ends(string runtime)
    {
        await using var scenario = await StopScenario.StartAsync(broker, runtime: runtime);
        await scenario.Sandbox.StartAsync("stubborn", IgnoresTermOn(runtime));

        var clock = Stopwatch.StartNew();
        var commandId = await scenario.StopAsync("stubborn", timeoutSeconds: 2);
        var stopped = await scenario.Plane.StoppedAsync(commandId);
        clock.Stop();

        Assert.Equal(137, stopped.ExitCode); // 128 + SIGKILL

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(12));
        Assert.Equal(["kill -- stubborn SIGTERM", "kill --all -- stubborn SIGKILL"], scenario.Runtime.CallsOf("kill"));
        Assert.Equal(RuntimeStatus.Stopped, (await scenario.Sandbox.StateAsync("stubborn")).Status);
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task Timeout_zero_kills_at_once_without_a_stop_signal(string runtime)
    {
        await using var scenario = await StopScenario.StartAsync(broker, runtime: runtime);
        await scenario.Sandbox.StartAsync("stubborn", IgnoresTermOn(runtime));

        var commandId = await scenario.StopAsync("stubborn", timeoutSeconds: 0);
        await scenario.Plane.StoppedAsync(commandId);

        Assert.Equal(["kill --all -- stubborn SIGKILL"], scenario.Runtime.CallsOf("kill"));
    }

    [Fact]
    public async Task SIGKILL_is_retried_with_backoff_while_the_process_lingers()
    {
        await using var scenario = await StopScenario.StartAsync(broker, ignoredKills: 3);
        await scenario.Sandbox.StartAsync("lingers", BusyboxRootfs.IgnoresTerm);

        await scenario.Plane.StoppedAsync(await scenario.StopAsync("lingers", timeoutSeconds: 0));

        // Three SIGKILLs without effect (after 100, 200, 400 ms of waiting), the fourth works.
        Assert.Equal(Enumerable.Repeat("kill --all -- lingers SIGKILL", 4), scenario.Runtime.CallsOf("kill"));
        Assert.Equal(RuntimeStatus.Stopped, (await scenario.Sandbox.StateAsync("lingers")).Status);
    }

    [Fact]
    public async Task A_process_that_outlives_SIGKILL_past_the_kill_deadline_is_Stuck_with_its_state_then_ContainerExited_when_it_dies_and_a_later_stop_succeeds()
    {
        // 12 SIGKILLs without effect: about 5 in the 1 s kill deadline, the rest in the background (1, 2, 4 s apart...).
        await using var scenario = await StopScenario.StartAsync(broker, ignoredKills: 8,
            settings: new Dictionary<string, string?> { ["Stop:KillDeadline"] = "00:00:01" });
        await scenario.Sandbox.StartAsync("stuck", BusyboxRootfs.IgnoresTerm);
        var pid = (await scenario.Sandbox.StateAsync("stuck")).Pid;

        var stuckCommand = await scenario.StopAsync("stuck", timeoutSeconds: 0);
        var failed = await scenario.Plane.FailedAsync(stuckCommand);

        Assert.Equal(StopFailureCode.Stuck, failed.Code);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(failed.Reason,
            $@"^failed to stop container stuck: process {pid} is still there \d+(\.\d+)? s after the first SIGKILL, in state S \(sleeping\); SIGKILL is retried in the background$"), failed.Reason);
        Assert.True(scenario.Sandbox.Storage.IsMounted("stuck"));
        var exited = await scenario.Plane.ExitedAsync(stuckCommand, TimeSpan.FromMinutes(2));
        Assert.Equal(("stuck", scenario.Node), (exited.ContainerId, exited.Node));
        Assert.True(exited.ResistedSeconds >= 1, $"resisted {exited.ResistedSeconds} s");
        var later = await scenario.StopAsync("stuck", timeoutSeconds: 0);
        await scenario.Plane.StoppedAsync(later);
        Assert.False(scenario.Sandbox.Storage.IsMounted("stuck"));
    }

    [Fact]
    public async Task A_stop_of_a_container_still_stuck_joins_the_background_kills_and_is_Stuck_again()
    {
        await using var scenario = await StopScenario.StartAsync(broker, ignoredKills: 1_000,
            settings: new Dictionary<string, string?> { ["Stop:KillDeadline"] = "00:00:01", ["Node:ShutdownTimeout"] = "00:00:05" });
        await scenario.Sandbox.StartAsync("stuck", BusyboxRootfs.IgnoresTerm);
        await scenario.Plane.FailedAsync(await scenario.StopAsync("stuck", timeoutSeconds: 0));
        var killsBefore = scenario.Runtime.CallsOf("kill").Count;

        var again = await scenario.Plane.FailedAsync(await scenario.StopAsync("stuck", timeoutSeconds: 0));

        Assert.Equal(StopFailureCode.Stuck, again.Code);
        Assert.StartsWith("failed to stop container stuck: its process is still stuck after an earlier stop's SIGKILLs", again.Reason);
        // No second kill loop: only the background's kills, at most one a second (1 s, then 2 s apart).
        Assert.InRange(scenario.Runtime.CallsOf("kill").Count - killsBefore, 0, 3);
    }

    [Fact]
    public async Task The_container_s_own_stop_signal_is_sent()
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        await scenario.Sandbox.StartAsync("quits", ["/bin/sh", "-c", "trap 'exit 0' QUIT; while true; do sleep 1 & wait $!; done"], stopSignal: "QUIT");

        var commandId = await scenario.StopAsync("quits", timeoutSeconds: 30);
        await scenario.Plane.StoppedAsync(commandId);

        Assert.Equal(["kill -- quits SIGQUIT"], scenario.Runtime.CallsOf("kill"));
    }

    [Theory]
    [MemberData(nameof(RuntimesAndStatusSources))]
    public async Task A_paused_container_is_refused_by_default(string runtime, RuntimeStatusSource statusSource)
    {
        await using var scenario = await StopScenario.StartAsync(broker, settings: StatusFrom(statusSource), runtime: runtime);
        await scenario.Sandbox.StartAsync("frozen", BusyboxRootfs.TrapsTerm);
        await scenario.Sandbox.RuntimeOf("frozen").PauseAsync("frozen", CancellationToken.None);

        var commandId = await scenario.StopAsync("frozen");
        var failed = await scenario.Plane.FailedAsync(commandId);

        Assert.Equal(StopFailureCode.Paused, failed.Code);
        Assert.Equal("cannot stop paused container frozen", failed.Reason);
        Assert.Equal(RuntimeStatus.Paused, (await scenario.Sandbox.StateAsync("frozen")).Status);
        Assert.True(scenario.Sandbox.Storage.IsMounted("frozen"));
        Assert.Empty(scenario.Runtime.CallsOf("kill"));
        AssertStatusReadFrom(statusSource, scenario.Runtime);
    }

    [Theory]
    [MemberData(nameof(RuntimesAndStatusSources))]
    public async Task A_paused_container_is_resumed_and_stopped_when_the_command_opts_in(string runtime, RuntimeStatusSource statusSource)
    {
        await using var scenario = await StopScenario.StartAsync(broker, settings: StatusFrom(statusSource), runtime: runtime);
        await scenario.Sandbox.StartAsync("frozen", BusyboxRootfs.TrapsTerm);
        await scenario.Sandbox.RuntimeOf("frozen").PauseAsync("frozen", CancellationToken.None);

        var commandId = await scenario.StopAsync("frozen", resumePaused: true);
        await scenario.Plane.StoppedAsync(commandId);

        Assert.Equal(RuntimeStatus.Stopped, (await scenario.Sandbox.StateAsync("frozen")).Status);
        Assert.False(scenario.Sandbox.Storage.IsMounted("frozen"));
        Assert.Equal(["resume -- frozen"], scenario.Runtime.CallsOf("resume"));
        AssertStatusReadFrom(statusSource, scenario.Runtime);
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task An_already_stopped_container_is_stopped_again_without_a_runtime_kill(string runtime)
    {
        await using var scenario = await StopScenario.StartAsync(broker, runtime: runtime);
        await scenario.Sandbox.StartAsync("exited", ["/bin/true"]);
        Assert.True(await scenario.Sandbox.WaitStoppedAsync("exited", TimeSpan.FromSeconds(10)));
        Assert.True(scenario.Sandbox.Storage.IsMounted("exited"));

        var commandId = await scenario.StopAsync("exited");
        await scenario.Plane.StoppedAsync(commandId);

        Assert.Empty(scenario.Runtime.CallsOf("kill"));
        Assert.NotEmpty(scenario.Runtime.CallsOf("state"));
        Assert.False(scenario.Sandbox.Storage.IsMounted("exited"));
        Assert.Equal(ContainerStatus.Stopped, scenario.Sandbox.Store.Get("exited").Status);
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task An_unknown_container_fails_with_NotFound_and_the_wrapped_reason(string runtime)
    {
        await using var scenario = await StopScenario.StartAsync(broker, runtime: runtime);

        var commandId = await scenario.StopAsync("ghost");
        var failed = await scenario.Plane.FailedAsync(commandId);

        Assert.Equal(StopFailureCode.NotFound, failed.Code);
        Assert.StartsWith("failed to find container ghost: ", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(failed.Reason, failed.Causes[0]);
        Assert.True(failed.Causes.Count >= 2);
        Assert.Empty(scenario.Runtime.Calls());
    }

    [Fact]
    public async Task A_runtime_that_lags_the_process_exit_is_waited_for()
    {
        await using var scenario = await StopScenario.StartAsync(broker, stateLag: 5);
        await scenario.Sandbox.StartAsync("vm", BusyboxRootfs.TrapsTerm);

        var commandId = await scenario.StopAsync("vm", timeoutSeconds: 0);
        await scenario.Plane.StoppedAsync(commandId);

        // The status check, then at least 5 lying answers and the true one.
        Assert.True(scenario.Runtime.CallsOf("state").Count >= 7, string.Join(", ", scenario.Runtime.Calls()));
        Assert.False(scenario.Sandbox.Storage.IsMounted("vm"));
    }

    [Fact]
    public async Task A_runtime_that_lags_past_the_state_deadline_fails_with_StateWaitTimedOut()
    {
        await using var scenario = await StopScenario.StartAsync(broker, stateLag: 100_000,
            settings: new Dictionary<string, string?> { ["Stop:StateWaitDeadline"] = "00:00:01" });
        await scenario.Sandbox.StartAsync("vm", BusyboxRootfs.TrapsTerm);

        var commandId = await scenario.StopAsync("vm", timeoutSeconds: 0);
        var failed = await scenario.Plane.FailedAsync(commandId);

        Assert.Equal(StopFailureCode.StateWaitTimedOut, failed.Code);
        Assert.StartsWith("failed to get container 'stopped' status vm: ", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("still reports \"running\" after 1 s", failed.Reason, StringComparison.Ordinal);
        // The storage stays mounted: unmount only follows a confirmed stop.
        Assert.True(scenario.Sandbox.Storage.IsMounted("vm"));
    }

    [Fact]
    public async Task A_busy_mount_fails_with_UnmountFailed_records_the_truth_and_a_later_stop_succeeds()
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        var record = await scenario.Sandbox.StartAsync("held", BusyboxRootfs.TrapsTerm);
        var holder = Process.Start(new ProcessStartInfo("/bin/sleep", "120") { WorkingDirectory = record.RootfsMount })!;
        try
        {
            var first = await scenario.Plane.FailedAsync(await scenario.StopAsync("held"));

            Assert.Equal(StopFailureCode.UnmountFailed, first.Code);
            Assert.StartsWith($"failed to unmount container held: unmount {record.RootfsMount}: ", first.Reason, StringComparison.Ordinal);
            Assert.Equal(RuntimeStatus.Stopped, (await scenario.Sandbox.StateAsync("held")).Status);
            var truth = scenario.Sandbox.Store.Get("held");
            Assert.Equal(ContainerStatus.Stopped, truth.Status);
            Assert.True(truth.StorageMounted);
        }
        finally
        {
            holder.Kill();
            await holder.WaitForExitAsync();
            holder.Dispose();
        }

        await scenario.Plane.StoppedAsync(await scenario.StopAsync("held"));

        Assert.False(scenario.Sandbox.Storage.IsMounted("held"));
        Assert.False(scenario.Sandbox.Store.Get("held").StorageMounted);
    }

    // A handler-less PID 1 ignores TERM on Linux; gVisor delivers it (exit 143), so there the container says it ignores TERM.
    private static string[] IgnoresTermOn(string runtime) => runtime == RuntimeCatalog.Runsc ? BusyboxRootfs.IgnoresTermByTrap : BusyboxRootfs.IgnoresTerm;

    // Auto would pick Command here: the recording runtime's binary is not named runc.
    private static Dictionary<string, string?> StatusFrom(RuntimeStatusSource source) => new() { ["Runtime:StatusSource"] = source.ToString() };

    // The state file is runc's own, so reading it starts no runtime process; the command starts one per read.
    private static void AssertStatusReadFrom(RuntimeStatusSource source, RecordingRuntime runtime)
    {
        if (source == RuntimeStatusSource.StateFile)
        {
            Assert.Empty(runtime.CallsOf("state"));
        }
        else
        {
            Assert.NotEmpty(runtime.CallsOf("state"));
        }
    }
}
