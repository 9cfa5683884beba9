using System.Diagnostics;
using EventRuntime.Node.Stopping;
using EventRuntime.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace EventRuntime.IntegrationTests.Faults;

// The host's shutdown deadline runs out while the agent still drains a stop in its grace period.
[Collection(BrokerCollection.Name)]
public sealed class ShutdownDeadlineTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task A_host_deadline_that_passes_while_the_drain_waits_for_an_outcome_ends_the_agent_without_an_error()
    {
        await using var sandbox = new RuncSandbox();
        await using var plane = await ControlPlane.StartAsync(broker.AmqpUri);
        var node = "deadline-" + Guid.NewGuid().ToString("N")[..8];
        await sandbox.StartAsync("unsaved", BusyboxRootfs.TrapsTerm);
        // The container stops, but the saga cannot record it: the drain sees one stop waiting for its outcome.
        await SagaDatabaseFailure.FailSavingTheOutcomeOfAsync(sandbox, "unsaved");
        // The drain may take up to 0.9 × 5 s; the host below gives it 1 s, as a host stopped with a short deadline does.
        var agent = await NodeAgent.StartAsync(node, sandbox, broker.AmqpUri, new Dictionary<string, string?> { ["Node:ShutdownTimeout"] = "00:00:05" });
        await using (agent)
        {
            await plane.SendStopAsync(node, "unsaved", timeoutSeconds: 5);
            Assert.True(await sandbox.WaitStoppedAsync("unsaved", TimeSpan.FromSeconds(30)));
            await Poll.UntilAsync(() => agent.Services.GetRequiredService<StopCoordinator>().InFlight == 0, TimeSpan.FromSeconds(30), "the stop worker is done");

            var clock = Stopwatch.StartNew();
            await agent.StopAsync(TimeSpan.FromSeconds(1));

            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
            Assert.Empty(plane.Outcomes);
        }
    }
}
