using EventRuntime.Client;
using EventRuntime.Contracts;

namespace EventRuntime.Testing.Tests;

// Each simulated behaviour answers a stop through the real agent and the real wire contract as a real container does.
[Collection(FleetCollection.Name)]
public sealed class StopSemanticsTests(FleetFixture fixture)
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    private SimulatedNode Alpha => fixture.Fleet["kit-alpha"];

    [Fact]
    public async Task A_container_that_traps_TERM_stops_on_the_first_signal()
    {
        Alpha.Run("traps");

        var outcome = await fixture.Fleet.Client.StopAsync(Alpha.Name, "traps", TimeSpan.FromSeconds(30));

        Assert.True(outcome.IsStopped, outcome.Event.Reason);
        Assert.Equal(["SIGTERM"], Alpha.Runtime.SignalsOf("traps"));
        Assert.False(Alpha.IsRunning("traps"));
    }

    [Fact]
    public async Task A_container_that_ignores_TERM_is_killed_when_its_grace_period_ends()
    {
        Alpha.Run("ignores", SimulatedBehaviour.IgnoresTerm);

        var outcome = await fixture.Fleet.Client.StopAsync(Alpha.Name, "ignores", Grace);

        Assert.True(outcome.IsStopped, outcome.Event.Reason);
        Assert.Equal(["SIGTERM", "SIGKILL"], Alpha.Runtime.SignalsOf("ignores").Distinct());
        Assert.True(outcome.Latency >= Grace, $"stopped after {outcome.Latency}, before its grace period of {Grace} ended");
        Assert.False(Alpha.IsRunning("ignores"));
    }

    [Fact]
    public async Task A_paused_container_fails_with_Paused_and_stops_when_resumed()
    {
        Alpha.Run("frozen", SimulatedBehaviour.Paused);
        Alpha.Run("thawed", SimulatedBehaviour.Paused);

        var refused = await fixture.Fleet.Client.StopAsync(Alpha.Name, "frozen", Grace);
        var resumed = await fixture.Fleet.Client.StopAsync(Alpha.Name, "thawed", Grace, new StopCommandOptions { ResumePaused = true });

        Assert.Equal(StopFailureCode.Paused, refused.Event.Code);
        Assert.True(Alpha.IsRunning("frozen"));
        Assert.True(resumed.IsStopped, resumed.Event.Reason);
        Assert.False(Alpha.IsRunning("thawed"));
    }

    [Fact]
    public async Task A_container_the_node_does_not_know_fails_with_NotFound()
    {
        var outcome = await fixture.Fleet.Client.StopAsync(Alpha.Name, "ghost", Grace);

        Assert.Equal(StopFailureCode.NotFound, outcome.Event.Code);
    }

    [Fact]
    public async Task A_container_slow_to_be_reported_stopped_is_stopped_once_the_runtime_says_so()
    {
        Alpha.Run("lagging", SimulatedBehaviour.SlowToReportStopped);

        var outcome = await fixture.Fleet.Client.StopAsync(Alpha.Name, "lagging", TimeSpan.FromSeconds(30));

        Assert.True(outcome.IsStopped, outcome.Event.Reason);
        Assert.True(outcome.Latency >= Alpha.Runtime.ReportLag, $"stopped after {outcome.Latency}, before the runtime reported it ({Alpha.Runtime.ReportLag})");
    }
}
