using System.Text.Json;
using EventRuntime.Client.Tests.Support;
using EventRuntime.Node.Presence;
using EventRuntime.TestSupport;

namespace EventRuntime.Client.Tests.Cli;

// `ert nodes` as a process, hearing the heartbeats of real agents.
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
        Assert.Equal(["NODE", "VERSION", "IN-FLIGHT", "STARTED", "LAST", "SEEN"], run.StdoutLines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var rows = run.StdoutLines.Skip(1).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToDictionary(row => row[0]);
        Assert.Equal([AgentVersion.Current, "0"], rows[first.Name].Skip(1).Take(2));
        Assert.Equal([AgentVersion.Current, "0"], rows[second.Name].Skip(1).Take(2));
        Assert.Equal(["ert: listening for node heartbeats for 3 s"], run.StderrLines);
    }
}
