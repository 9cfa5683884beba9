using System.Text.Json;
using EventRuntime.Client.Tests.Support;
using EventRuntime.TestSupport;

namespace EventRuntime.Client.Tests.Fleet;

/// <summary>A broker of their own: an agent killed here stays on the roster for ten minutes, and every other test asks the whole fleet.</summary>
[CollectionDefinition(Name)]
public sealed class RosterBrokerCollection : ICollectionFixture<RabbitMqBroker>
{
    public const string Name = "roster broker";
}

// Questions to every node (no --node) against the roster: in-process agents, and a real agent process that is killed.
[Collection(RosterBrokerCollection.Name)]
public sealed class RosterTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task Without_names_a_killed_agent_is_listed_silent_with_when_it_was_last_heard_by_nodes_ps_and_a_fleet_stop()
    {
        await CreateRosterAsync();
        await using var first = await TestNode.StartAsync(broker);
        await using var second = await TestNode.StartAsync(broker);
        var live = new[] { first, second }.OrderBy(node => node.Name, StringComparer.Ordinal).ToArray();
        await using var sandbox = new RuncSandbox();
        var dead = "node-" + Guid.NewGuid().ToString("N")[..8];
        var orphan = $"web-{dead[5..]}";
        await sandbox.StartAsync(orphan, BusyboxRootfs.TrapsTerm, labels: EventRuntime.Contracts.Labels.Parse(["app=roster"]));
        await using var agent = new AgentProcess(dead, sandbox, broker.AmqpUri, Path.Combine(sandbox.Root, "agent.log"), "--Node:HeartbeatInterval=00:00:01");
        agent.Start();
        await UntilAsync(async () => (await Ert("nodes", "--node", dead, "--wait", "2")).ExitCode == 0, () => "the agent process never answered:\n" + agent.Log());
        var web = live[0].Id("web");
        await live[0].Sandbox.StartAsync(web, BusyboxRootfs.TrapsTerm, labels: EventRuntime.Contracts.Labels.Parse(["app=roster"]));
        var beforeKill = DateTimeOffset.UtcNow;
        await agent.KillAsync();
        try
        {
            // The killed agent never answers, so each question takes its whole wait; the live agents must answer within
            // it on a machine whose cores are busy (5 s was too short with the load average at 29, 2026-12-01).
            var nodes = await Ert("nodes", "--wait", "20", "-o", "json");
            var ps = await Ert("ps", "--selector", "app=roster", "--wait", "20", "-o", "json");
            var stop = await Ert("stop", "--selector", "app=roster", "--all-nodes", "--inventory-wait", "20", "-o", "json");

            Assert.True(nodes.ExitCode == 1, nodes.ToString());
            using var nodesJson = JsonDocument.Parse(nodes.Stdout);
            var rows = nodesJson.RootElement.EnumerateArray().ToDictionary(n => n.GetProperty("node").GetString()!);
            Assert.Equal([.. live.Select(n => (n.Name, "live")), (dead, "silent")],
                live.Select(n => n.Name).Append(dead).Select(name => (name, rows[name].GetProperty("state").GetString()!)));
            // Its last heartbeat went out at most a second before the kill (one per second), and not after it.
            var lastHeard = rows[dead].GetProperty("lastHeard").GetDateTimeOffset();
            Assert.InRange(lastHeard, beforeKill - TimeSpan.FromSeconds(30), DateTimeOffset.UtcNow);
            Assert.Contains(nodes.StderrLines, line => line.StartsWith($"ert: node {dead} did not answer within 20.0 s", StringComparison.Ordinal) && line.Contains("(last heard ", StringComparison.Ordinal));

            Assert.True(ps.ExitCode == 1, ps.ToString());
            Assert.Contains(ps.StderrLines, line => line.StartsWith($"ert: node {dead} did not answer within 20.0 s", StringComparison.Ordinal) && line.Contains("(last heard ", StringComparison.Ordinal));
            using var psJson = JsonDocument.Parse(ps.Stdout);
            Assert.Equal([(live[0].Name, web)], psJson.RootElement.EnumerateArray().Select(c => (c.GetProperty("node").GetString()!, c.GetProperty("id").GetString()!)));

            Assert.True(stop.ExitCode == 1, stop.ToString());
            using var stopJson = JsonDocument.Parse(stop.Stdout);
            Assert.Equal([dead], stopJson.RootElement.GetProperty("silentNodes").EnumerateArray().Select(n => n.GetString()));
            Assert.Equal([(web, "stopped")], stopJson.RootElement.GetProperty("containers").EnumerateArray()
                .Select(c => (c.GetProperty("container").GetString()!, c.GetProperty("outcome").GetString()!)));
            Assert.Contains(stop.StderrLines, line => line.StartsWith($"ert: node {dead} did not answer the inventory within 20.0 s: its containers were not stopped (last heard ", StringComparison.Ordinal));
            Assert.False((await sandbox.StateAsync(orphan)).IsStopped);
        }
        finally
        {
            // Back once and gone cleanly: its leaving heartbeat takes it off this broker's roster for the next test.
            agent.Start();
            await UntilAsync(async () => (await Ert("nodes", "--node", dead, "--wait", "2")).ExitCode == 0, () => "the agent process never came back:\n" + agent.Log());
            agent.Terminate();
            await agent.WaitForExitAsync(TimeSpan.FromSeconds(60));
        }
    }

    [Fact]
    public async Task Without_names_the_question_ends_once_every_agent_on_the_roster_answered_not_at_the_end_of_its_wait()
    {
        await CreateRosterAsync();
        await using var fleet = await ThreeNodes.StartAsync(broker);
        await using var client = fleet[0].Client();
        var names = fleet.Nodes.Select(node => node.Name).ToList();
        await UntilAsync(async () => (await client.PingNodesAsync(new FleetQuery { Nodes = names })).Silent.Count == 0, () => "the agents never answered");

        // A wait of ten minutes: had the question waited for it, the test's deadline of three minutes would fail it.
        var ping = client.PingNodesAsync(new FleetQuery { Wait = TimeSpan.FromMinutes(10) });
        var list = client.ListContainersAsync(new FleetQuery { Wait = TimeSpan.FromMinutes(10) });
        var presence = await ping.WaitAsync(TimeSpan.FromMinutes(3));
        var inventory = await list.WaitAsync(TimeSpan.FromMinutes(3));

        Assert.Equal(names, presence.Live.Select(n => n.Node).Where(names.Contains));
        Assert.Empty(presence.Silent);
        Assert.Equal(names, inventory.Answered.Where(names.Contains));
        Assert.True(inventory.IsComplete);

        var ps = await Support.Ert.RunAsync(["ps", "--wait", "600", "-o", "json", .. fleet[0].Connection], TimeSpan.FromMinutes(3));
        Assert.True(ps.ExitCode == 0, ps.ToString());
    }

    [Fact]
    public async Task An_agent_that_shut_down_cleanly_leaves_the_roster_and_is_not_reported_silent()
    {
        await CreateRosterAsync();
        await using var stays = await TestNode.StartAsync(broker);
        var leaves = await TestNode.StartAsync(broker);
        await UntilAsync(async () => (await Ert("nodes", "--node", leaves.Name, "--wait", "2")).ExitCode == 0, () => "the agent never answered");
        await leaves.DisposeAsync();

        var nodes = await Ert("nodes", "--wait", "30", "-o", "json");

        Assert.True(nodes.ExitCode == 0, nodes.ToString());
        using var json = JsonDocument.Parse(nodes.Stdout);
        var listed = json.RootElement.EnumerateArray().Select(n => n.GetProperty("node").GetString()!).ToList();
        Assert.Contains(stays.Name, listed);
        Assert.DoesNotContain(leaves.Name, listed);
    }

    /// <summary>Declares the roster stream, as any question to the fleet does, before the agents' first heartbeats.</summary>
    private Task CreateRosterAsync() => Ert("nodes", "--wait", "1");

    // Generous: an agent process restarted on a machine whose cores are busy took more than a minute to answer (2026-12-01).
    private static async Task UntilAsync(Func<Task<bool>> condition, Func<string> what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what());
            await Task.Delay(200);
        }
    }

    private Task<ProcessRun> Ert(params string[] arguments) => Support.Ert.RunAsync([.. arguments, "--rabbitmq", broker.AmqpUri.ToString()]);
}
