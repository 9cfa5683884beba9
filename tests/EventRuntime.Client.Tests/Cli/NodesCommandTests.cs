using System.Text.Json;
using EventRuntime.Client.Tests.Support;
using EventRuntime.Node.Presence;
using EventRuntime.Node.Runtime;
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
        // Ignores SIGTERM: the agent holds the stop for its grace period while ert asks, however slow this machine is.
        var sent = await node.ErtAsync("stop", stubborn, "--node", node.Name, "--timeout", "300", "--no-wait");
        Assert.True(sent.ExitCode == 0, sent.ToString());

        // Until the agent has taken the command (a busy machine may answer the first question before that).
        var asked = DateTimeOffset.UtcNow;
        var run = await node.ErtAsync("nodes", "--wait", "3", "--output", "json");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (InFlight(run, node.Name) != 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            asked = DateTimeOffset.UtcNow;
            run = await node.ErtAsync("nodes", "--wait", "3", "--output", "json");
        }

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var mine = Assert.Single(json.RootElement.EnumerateArray(), e => e.GetProperty("node").GetString() == node.Name);
        Assert.Equal("live", mine.GetProperty("state").GetString());
        Assert.Equal(AgentVersion.Current, mine.GetProperty("version").GetString());
        Assert.Equal(1, mine.GetProperty("inFlightStops").GetInt32());
        var startedAt = mine.GetProperty("startedAt").GetDateTimeOffset();
        var sentAt = mine.GetProperty("sentAt").GetDateTimeOffset();
        Assert.InRange(sentAt - startedAt, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        // An answer to this question, not an older heartbeat: sent after ert was started (same machine, same clock).
        Assert.InRange(sentAt, asked, DateTimeOffset.UtcNow);
        // The stop still waits out its grace period: end it now rather than at the node's disposal.
        await node.Sandbox.RuntimeOf(stubborn).KillAsync(stubborn, Signals.Kill, all: true, CancellationToken.None);
    }

    private static int? InFlight(ProcessRun run, string node)
    {
        if (run.ExitCode != 0)
        {
            return null;
        }

        using var json = JsonDocument.Parse(run.Stdout);
        return json.RootElement.EnumerateArray().Where(e => e.GetProperty("node").GetString() == node)
            .Select(e => e.GetProperty("inFlightStops").ValueKind == JsonValueKind.Number ? e.GetProperty("inFlightStops").GetInt32() : (int?)null)
            .FirstOrDefault();
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

        // The ghost never answers, so ert waits all of it; the live agent must answer within it on a busy machine.
        var run = await node.ErtAsync("nodes", "--node", node.Name + ",ghost-node", "--wait", "15");

        Assert.True(run.ExitCode == 1, run.ToString());
        var rows = run.StdoutLines.Skip(1).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToDictionary(row => row[0]);
        Assert.Equal(["silent", "-", "-", "-"], rows["ghost-node"].Skip(1));
        Assert.Equal("live", rows[node.Name][1]);
        Assert.Equal(["ert: node ghost-node did not answer within 15.0 s: its agent is down or cut off from the broker"], run.StderrLines);
    }
}
