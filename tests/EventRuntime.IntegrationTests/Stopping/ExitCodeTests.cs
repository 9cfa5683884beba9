using EventRuntime.IntegrationTests.Operations;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Stopping;

// Exit codes over the bus, from conmon's exit file: real runc, conmon and overlay, the real broker.
[Collection(BrokerCollection.Name)]
public sealed class ExitCodeTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task A_container_whose_TERM_handler_exits_3_is_stopped_with_exit_code_3()
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        await scenario.Sandbox.StartAsync("three", BusyboxRootfs.ExitsThreeOnTerm);

        var stopped = await scenario.Plane.StoppedAsync(await scenario.StopAsync("three"));

        Assert.Equal(3, stopped.ExitCode);
        Assert.Equal(3, scenario.Sandbox.Store.Get("three").ExitCode);
        Assert.Equal(["kill -- three SIGTERM"], scenario.Runtime.CallsOf("kill"));
    }

    [Fact]
    public async Task A_sleep_that_ignores_TERM_is_killed_after_its_grace_period_with_exit_code_137()
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        await scenario.Sandbox.StartAsync("stubborn", BusyboxRootfs.IgnoresTerm);

        var stopped = await scenario.Plane.StoppedAsync(await scenario.StopAsync("stubborn", timeoutSeconds: 1));

        Assert.Equal(128 + 9, stopped.ExitCode);
        Assert.Equal(137, scenario.Sandbox.Store.Get("stubborn").ExitCode);
        Assert.Equal(["kill -- stubborn SIGTERM", "kill --all -- stubborn SIGKILL"], scenario.Runtime.CallsOf("kill"));
    }

    [Fact]
    public async Task An_already_stopped_container_reports_the_code_it_exited_with()
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        await scenario.Sandbox.StartAsync("exited", ["/bin/sh", "-c", "exit 7"]);
        Assert.True(await scenario.Sandbox.WaitStoppedAsync("exited", TimeSpan.FromSeconds(10)));

        var stopped = await scenario.Plane.StoppedAsync(await scenario.StopAsync("exited"));

        Assert.Equal(7, stopped.ExitCode);
        Assert.Empty(scenario.Runtime.CallsOf("kill"));
        // A second stop of the stopped container answers with the same code.
        var again = await scenario.Plane.StoppedAsync(await scenario.StopAsync("exited"));
        Assert.Equal(7, again.ExitCode);
    }

    [Fact]
    public async Task With_its_monitor_killed_the_container_is_still_stopped_and_its_exit_code_is_unknown()
    {
        using var seq = new FakeSeq();
        await using var scenario = await StopScenario.StartAsync(broker, settings: new Dictionary<string, string?>
        {
            ["Logging:SeqUrl"] = seq.Url,
            ["Serilog:MinimumLevel:Default"] = "Warning",
        });
        var record = await scenario.Sandbox.StartAsync("orphan", BusyboxRootfs.ExitsThreeOnTerm);
        var monitor = record.Monitor!;
        using (var conmon = System.Diagnostics.Process.GetProcessById(monitor.Pid))
        {
            conmon.Kill();
            await conmon.WaitForExitAsync();
        }

        Assert.False(monitor.IsAlive());

        var stopped = await scenario.Plane.StoppedAsync(await scenario.StopAsync("orphan"));

        Assert.Null(stopped.ExitCode);
        Assert.Null(scenario.Sandbox.Store.Get("orphan").ExitCode);
        Assert.Equal(RuntimeStatus.Stopped, (await scenario.Sandbox.StateAsync("orphan")).Status);
        Assert.False(scenario.Sandbox.Storage.IsMounted("orphan"));
        await scenario.Agent.DisposeAsync(); // flushes its logs
        var warning = Assert.Single(seq.Events, e => e.TryGetProperty("MonitorPid", out _));
        Assert.Equal("orphan", warning.GetProperty("ContainerId").GetString());
        Assert.Equal(monitor.Pid, warning.GetProperty("MonitorPid").GetInt32());
        Assert.Equal("died", warning.GetProperty("MonitorState").GetString());
    }

    [Fact]
    public async Task A_container_recorded_before_conmon_still_stops_with_an_unknown_exit_code()
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        var record = await scenario.Sandbox.StartAsync("legacy", BusyboxRootfs.ExitsThreeOnTerm);
        // The record as an agent before conmon wrote it: no monitor, no exit file, no log. (Its cgroup stays
        // recorded only so that the sandbox removes it; an old record has none, and no cgroup of ours either.)
        scenario.Sandbox.Store.Save(record with { Monitor = null, ExitFile = null, LogPath = null });

        var stopped = await scenario.Plane.StoppedAsync(await scenario.StopAsync("legacy"));

        Assert.Null(stopped.ExitCode);
        Assert.Equal(ContainerStatus.Stopped, scenario.Sandbox.Store.Get("legacy").Status);
        Assert.Equal(RuntimeStatus.Stopped, (await scenario.Sandbox.StateAsync("legacy")).Status);
    }
}
