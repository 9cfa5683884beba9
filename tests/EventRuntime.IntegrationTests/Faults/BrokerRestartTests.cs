using System.Diagnostics;
using EventRuntime.Contracts;
using EventRuntime.IntegrationTests.Stopping;
using EventRuntime.Node.Runtime;
using EventRuntime.Node.Stopping;
using EventRuntime.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace EventRuntime.IntegrationTests.Faults;

// A broker of the test's own, restarted in the middle of a stop storm.
public sealed class BrokerRestartTests
{
    [Fact]
    public async Task Restarting_RabbitMQ_in_a_200_container_stop_storm_loses_and_duplicates_nothing()
    {
        const int containers = 200;
        await using var broker = await RestartableRabbitMq.StartAsync();
        await using var sandbox = new RuncSandbox();
        var ids = Enumerable.Range(0, containers).Select(i => $"s{i:D3}").ToList();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            // Half ignore TERM and use their 2 s grace period, so the storm lasts longer than the restart.
            await sandbox.StartAsync(id, i % 2 == 0 ? BusyboxRootfs.TrapsTerm : BusyboxRootfs.IgnoresTerm);
        }

        var node = "storm-" + Guid.NewGuid().ToString("N")[..8];
        await using var agent = await NodeAgent.StartAsync(node, sandbox, broker.AmqpUri,
            new Dictionary<string, string?> { ["Stop:Concurrency"] = "32" });
        await using var plane = await ControlPlane.StartAsync(broker.AmqpUri, durableOutcomes: true);
        var clock = Stopwatch.StartNew();
        var commandIds = new List<Guid>();
        foreach (var id in ids)
        {
            commandIds.Add(await plane.SendStopAsync(node, id, timeoutSeconds: 2));
        }

        await Poll.UntilAsync(() => plane.Outcomes.Count >= 20, TimeSpan.FromSeconds(60), "20 outcomes before the restart");
        var outcomesBeforeRestart = plane.Outcomes.Count;
        var bus = agent.Services.GetRequiredService<IBusControl>();
        var healthWhileDown = BusHealthStatus.Healthy;
        var restartStarted = clock.Elapsed;
        await broker.RestartAsync(TimeSpan.FromSeconds(3), async () =>
        {
            await Poll.UntilAsync(() => bus.CheckHealth().Status != BusHealthStatus.Healthy, TimeSpan.FromSeconds(15), "the agent sees the broker gone");
            healthWhileDown = bus.CheckHealth().Status;
        });
        var restartTook = clock.Elapsed - restartStarted;

        foreach (var commandId in commandIds)
        {
            await plane.StoppedAsync(commandId, TimeSpan.FromMinutes(3));
        }

        var lastOutcome = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(3)); // room for a late duplicate to show up
        // MassTransit marks an endpoint healthy again some seconds after it has reconnected.
        while (bus.CheckHealth().Status != BusHealthStatus.Healthy && clock.Elapsed - lastOutcome < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(250);
        }

        var healthyAgainAfter = clock.Elapsed - restartStarted - restartTook;
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        var errors = (await amqp.DrainFaultsAsync(NodeQueue.For(node) + "_error")).Count;

        var healthAfter = bus.CheckHealth();
        Assert.NotEqual(BusHealthStatus.Healthy, healthWhileDown);
        Assert.True(healthAfter.Status == BusHealthStatus.Healthy,
            $"{healthAfter.Status}: {healthAfter.Description}; {string.Join(", ", healthAfter.Endpoints.Select(e => $"{e.Key} {e.Value.Status} {e.Value.Description}"))}");
        Assert.Equal(containers, plane.Outcomes.Count);
        Assert.Equal(commandIds.Order(), plane.Outcomes.Cast<ContainerStopped>().Select(o => o.CommandId).Order());
        Assert.Equal(0, errors);
        foreach (var id in ids)
        {
            Assert.Equal(RuntimeStatus.Stopped, (await sandbox.StateAsync(id)).Status);
            Assert.False(sandbox.Storage.IsMounted(id), $"{id} is still mounted");
        }

        ReliabilityReport.Record("broker-restart",
            $"{containers} stops; RabbitMQ restarted after {outcomesBeforeRestart} outcomes (down and back in {restartTook.TotalSeconds:0.0} s, " +
            $"agent health while down: {healthWhileDown}, Healthy again {healthyAgainAfter.TotalSeconds:0.0} s after the broker was back): {plane.Outcomes.Count} outcomes, " +
            $"{plane.Outcomes.Count - plane.Outcomes.Cast<ContainerStopped>().Select(o => o.CommandId).Distinct().Count()} duplicates, " +
            $"{errors} in _error, last outcome at {lastOutcome.TotalSeconds:0.0} s");
    }
}
