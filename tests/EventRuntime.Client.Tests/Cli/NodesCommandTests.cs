using System.Text.Json;
using EventRuntime.Client.Tests.Support;
using EventRuntime.Node.Presence;
using EventRuntime.TestSupport;

namespace EventRuntime.Client.Tests.Cli;

// `ert nodes` as a process, pinging real agents over the bus.
[Collection(BrokerCollection.Name)]
public sealed class NodesCommandTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task Nodes_lists_a_live_agent_with_its_version_and_its_stops_in_flight()
    {
        await using var node = await TestNode.StartAsync(broker);
        var stubborn = node.Id("stubborn");
        await node.Sandbox.StartAsync(stubborn, BusyboxRootfs.IgnoresTerm);
        // Ignores SIGTERM: the agent holds the stop for its 6 s grace period while ert listens.
        var sent = await node.ErtAsync("stop", stubborn, "--node", node.Name, "--timeout", "6", "--no-wait");
        Assert.True(sent.ExitCode == 0, sent.ToString());

        var run = await node.ErtAsync("nodes", "--wait", "3", "--output", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var mine = Assert.Single(json.RootElement.EnumerateArray(), e => e.GetProperty("node").GetString() == node.Name);
        Assert.Equal("live", mine.GetProperty("state").GetString());
        Assert.Equal(AgentVersion.Current, mine.GetProperty("version").GetString());
        Assert.Equal(1, mine.GetProperty("inFlightStops").GetInt32());
        var startedAt = mine.GetProperty("startedAt").GetDateTimeOffset();
        var sentAt = mine.GetProperty("sentAt").GetDateTimeOffset();
        Assert.InRange(sentAt - startedAt, TimeSpan.Zero, TimeSpan.FromMinutes(2));
        Assert.InRange(DateTimeOffset.UtcNow - sentAt, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Nodes_prints_a_table_with_one_row_per_agent()
    {
        await using var first = await TestNode.StartAsync(broker);
        await using var second = await TestNode.StartAsync(broker);

        var run = await first.ErtAsync("nodes", "--wait", "3");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["NODE", "STATE", "VERSION", "IN-FLIGHT", "STARTED"], run.StdoutLines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var rows = run.StdoutLines.Skip(1).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToDictionary(row => row[0]);
        Assert.Equal(["live", AgentVersion.Current, "0"], rows[first.Name].Skip(1).Take(3));
        Assert.Equal(["live", AgentVersion.Current, "0"], rows[second.Name].Skip(1).Take(3));
        Assert.Empty(run.StderrLines);
    }

    [Fact]
    public async Task Nodes_answers_without_waiting_for_a_heartbeat()
    {
        // Heartbeats every hour.
        await using var node = await TestNode.StartAsync(broker, new Dictionary<string, string?> { ["Node:HeartbeatInterval"] = "01:00:00" });

        var run = await node.ErtAsync("nodes", "--node", node.Name, "-o", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        // Its one heartbeat went out at its start, before ert listened: only the ping's answer can name it.
        Assert.Equal(node.Name, Assert.Single(json.RootElement.EnumerateArray()).GetProperty("node").GetString());
    }

    [Fact]
    public async Task Nodes_shows_a_named_node_without_an_agent_as_silent_and_exits_1()
    {
        await using var node = await TestNode.StartAsync(broker);

        var run = await node.ErtAsync("nodes", "--node", node.Name + ",ghost-node", "--wait", "2");

        Assert.True(run.ExitCode == 1, run.ToString());
        var rows = run.StdoutLines.Skip(1).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToDictionary(row => row[0]);
        Assert.Equal(["silent", "-", "-", "-"], rows["ghost-node"].Skip(1));
        Assert.Equal("live", rows[node.Name][1]);
        Assert.Equal(["ert: node ghost-node did not answer within 2.0 s: its agent is down or cut off from the broker"], run.StderrLines);
    }
}
