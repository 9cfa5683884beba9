using System.Diagnostics;
using EventRuntime.Contracts;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Faults;

// The node executable as a real child process, killed with SIGKILL in the middle of its work.
[Collection(BrokerCollection.Name)]
public sealed class AgentCrashTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task Killing_the_agent_at_random_points_of_20_stops_still_stops_all_20_with_exactly_one_outcome_each()
    {
        const int stops = 20, kills = 3;
        await using var sandbox = new RuncSandbox();
        await using var plane = await ControlPlane.StartAsync(broker.AmqpUri);
        var node = "crash-" + Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, stops).Select(i => $"c{i:D2}").ToList();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            // Half stop on TERM at once, half ignore it and take their 1-2 s grace period, so kills land mid-stop.
            await sandbox.StartAsync(id, i % 2 == 0 ? BusyboxRootfs.TrapsTerm : BusyboxRootfs.IgnoresTerm);
        }

        var log = Path.Combine(sandbox.Root, "agent.log");
        await using var agent = new AgentProcess(node, sandbox, broker.AmqpUri, log);
        agent.Start();
        var random = new Random();
        var commandIds = new List<Guid>();
        var clock = Stopwatch.StartNew();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            commandIds.Add(await plane.SendStopAsync(node, id, timeoutSeconds: 1 + i % 2));
        }

        var killedAt = new List<string>();
        for (var k = 0; k < kills; k++)
        {
            await Task.Delay(random.Next(300, 2_500));
            killedAt.Add($"{clock.Elapsed.TotalSeconds:0.0} s ({plane.Outcomes.Count} outcomes so far)");
            await agent.KillAsync();
            agent.Start();
        }

        foreach (var commandId in commandIds)
        {
            await plane.StoppedAsync(commandId, TimeSpan.FromMinutes(2));
        }

        var lastOutcome = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(3)); // room for a late duplicate to show up

        Assert.Equal(stops, plane.Outcomes.Count);
        Assert.Equal(commandIds.Order(), plane.Outcomes.Cast<ContainerStopped>().Select(o => o.CommandId).Order());
        foreach (var id in ids)
        {
            Assert.Equal(RuntimeStatus.Stopped, (await sandbox.StateAsync(id)).Status);
            Assert.False(sandbox.Storage.IsMounted(id), $"{id} is still mounted");
            Assert.Equal(ContainerStatus.Stopped, sandbox.Store.Get(id).Status);
        }

        ReliabilityReport.Record("agent-kill",
            $"{stops} stops, agent killed with SIGKILL {kills} times (at {string.Join(", ", killedAt)}), {agent.Starts} starts: " +
            $"{plane.Outcomes.Count} outcomes for {commandIds.Distinct().Count()} command ids, all {stops} containers stopped and unmounted, " +
            $"last outcome at {lastOutcome.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task A_stop_in_flight_when_the_agent_is_killed_is_finished_by_its_command_s_redelivery()
    {
        await using var sandbox = new RuncSandbox();
        await using var plane = await ControlPlane.StartAsync(broker.AmqpUri);
        await using var amqp = await IntegrationTests.Stopping.RawAmqp.ConnectAsync(broker.AmqpUri);
        var node = "resume-" + Guid.NewGuid().ToString("N")[..8];
        await sandbox.StartAsync("slow", BusyboxRootfs.IgnoresTerm);
        await using var agent = new AgentProcess(node, sandbox, broker.AmqpUri, Path.Combine(sandbox.Root, "agent.log"));
        agent.Start();

        var commandId = await plane.SendStopAsync(node, "slow", timeoutSeconds: 3);
        await agent.WaitForLogAsync("Stop step status of container slow");
        await agent.KillAsync();
        // Inside the grace period: the stop had begun, and nothing of it was stored or acknowledged.
        Assert.Equal(RuntimeStatus.Running, (await sandbox.StateAsync("slow")).Status);
        Assert.Empty(plane.Outcomes);
        agent.Start();

        await plane.StoppedAsync(commandId, TimeSpan.FromSeconds(60));
        Assert.Equal(RuntimeStatus.Stopped, (await sandbox.StateAsync("slow")).Status);
        Assert.False(sandbox.Storage.IsMounted("slow"));
        await Task.Delay(TimeSpan.FromSeconds(2)); // room for a late second outcome to show up
        Assert.Single(plane.Outcomes);
        Assert.Equal(0u, await amqp.MessageCountAsync(NodeQueue.For(node)));
    }

    [Fact]
    public async Task An_agent_with_a_corrupt_saga_database_refuses_to_start_and_says_which_file_and_what_to_do()
    {
        await using var sandbox = new RuncSandbox();
        var database = Path.Combine(sandbox.Paths.StateDirectory, "sagas.db");
        Directory.CreateDirectory(sandbox.Paths.StateDirectory);
        await File.WriteAllTextAsync(database, new string('x', 4096));
        await using var agent = new AgentProcess("corrupt", sandbox, broker.AmqpUri, Path.Combine(sandbox.Root, "agent.log"));

        agent.Start();
        var exitCode = await agent.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains($"saga database {database} is unreadable", agent.Log(), StringComparison.Ordinal);
        Assert.Contains("move it aside", agent.Log(), StringComparison.Ordinal);
        Assert.Equal(new string('x', 4096), await File.ReadAllTextAsync(database));
    }

    [Fact]
    public async Task A_second_agent_on_the_same_state_directory_refuses_to_start()
    {
        await using var sandbox = new RuncSandbox();
        await using var first = new AgentProcess("first", sandbox, broker.AmqpUri, Path.Combine(sandbox.Root, "first.log"));
        await using var second = new AgentProcess("second", sandbox, broker.AmqpUri, Path.Combine(sandbox.Root, "second.log"));
        first.Start();
        await first.WaitForLogAsync("Node agent first started");

        second.Start();
        var exitCode = await second.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains("is locked by another process", second.Log(), StringComparison.Ordinal);
        Assert.False(first.HasExited);
    }
}
