using System.Diagnostics;
using EventRuntime.Contracts;
using EventRuntime.IntegrationTests.Stopping;
using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Faults;

// The shutdown deadline runs out while the agent still drains a stop in its grace period.
[Collection(BrokerCollection.Name)]
public sealed class ShutdownDeadlineTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task A_shutdown_deadline_that_passes_mid_stop_ends_the_agent_cleanly_and_the_next_start_finishes_the_command()
    {
        await using var sandbox = new RuncSandbox();
        await using var plane = await ControlPlane.StartAsync(broker.AmqpUri);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        var node = "deadline-" + Guid.NewGuid().ToString("N")[..8];
        await sandbox.StartAsync("slow", BusyboxRootfs.IgnoresTerm);
        await using var agent = new AgentProcess(node, sandbox, broker.AmqpUri, Path.Combine(sandbox.Root, "agent.log"), "--Node:ShutdownTimeout=00:00:01");
        agent.Start();
        await agent.WaitForLogAsync($"Node agent {node} started");

        // Ignores TERM: the stop sits in its 8 s grace period far past the agent's 1 s shutdown deadline.
        var commandId = await plane.SendStopAsync(node, "slow", timeoutSeconds: 8);
        await agent.WaitForLogAsync("Stop step status of container slow");
        var clock = Stopwatch.StartNew();
        agent.Terminate();
        var exitCode = await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exitCode);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(15));
        Assert.Contains("Stopping with 1 stops unfinished", agent.Log(), StringComparison.Ordinal);
        Assert.Empty(plane.Outcomes);

        // The unfinished command was never acknowledged: the next start gets it again and finishes it.
        agent.Start();
        var outcome = await plane.OutcomeOfAsync(commandId, TimeSpan.FromSeconds(60));

        Assert.IsType<ContainerStopped>(outcome);
        Assert.Equal(RuntimeStatus.Stopped, (await sandbox.StateAsync("slow")).Status);
        Assert.False(sandbox.Storage.IsMounted("slow"));
        Assert.Single(plane.Outcomes);
        Assert.Empty(await amqp.DrainFaultsAsync(NodeQueue.For(node) + "_error"));
    }
}
