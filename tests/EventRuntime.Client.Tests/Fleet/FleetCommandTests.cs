using System.Text.Json;
using EventRuntime.Client.Tests.Support;
using EventRuntime.TestSupport;

namespace EventRuntime.Client.Tests.Fleet;

// ert ps and ert stop --selector as processes, against three real agents on real runc and one broker.
[Collection(BrokerCollection.Name)]
public sealed class FleetCommandTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task Ps_with_a_selector_lists_exactly_the_matching_containers_of_all_three_agents()
    {
        await using var fleet = await ThreeNodes.StartAsync(broker);
        var expected = new List<(string Node, string Id)>();
        for (var i = 0; i < 3; i++)
        {
            expected.Add((fleet[i].Name, await fleet.StartAsync(i, "front", "app=web,tier=front")));
            await fleet.StartAsync(i, "back", "app=web,tier=back");
            await fleet.StartAsync(i, "db", "app=db");
            await fleet.StartAsync(i, "bare", "");
        }

        var run = await fleet[0].ErtAsync("ps", "--node", fleet.NodeList, "--selector", "app=web,tier!=back", "-o", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var listed = json.RootElement.EnumerateArray().Select(c => (c.GetProperty("node").GetString()!, c.GetProperty("id").GetString()!)).ToList();
        Assert.Equal(expected, listed);
        var first = json.RootElement[0];
        Assert.Equal("running", first.GetProperty("status").GetString());
        Assert.Equal("front", first.GetProperty("labels").GetProperty("tier").GetString());
    }

    [Fact]
    public async Task Ps_prints_a_table_of_every_container_of_the_named_nodes_with_their_labels()
    {
        await using var fleet = await ThreeNodes.StartAsync(broker);
        var web = await fleet.StartAsync(1, "web", "tier=front,app=web");
        var bare = await fleet.StartAsync(2, "bare", "");

        var run = await fleet[0].ErtAsync("ps", "--node", fleet[1].Name, "--node", fleet[2].Name);

        Assert.True(run.ExitCode == 0, run.ToString());
        var rows = run.StdoutLines.Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(["NODE", "CONTAINER", "STATUS", "INSTANCE", "LABELS"], rows[0]);
        Assert.Equal(3, rows.Count);
        Assert.Equal([fleet[1].Name, web, "running"], rows[1].Take(3));
        Assert.Equal("app=web,tier=front", rows[1][4]);
        Assert.Equal([fleet[2].Name, bare, "running"], rows[2].Take(3));
        Assert.Equal("-", rows[2][4]);
    }

    [Fact]
    public async Task A_fleet_stop_with_max_concurrency_2_never_has_more_than_2_stops_in_flight_at_the_agents()
    {
        await using var fleet = await ThreeNodes.StartAsync(broker);
        var targets = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            // Each takes a second to exit after TERM: stops sent together overlap at the agents.
            targets.Add(await fleet.StartAsync(i, "web1", "app=web", BusyboxRootfs.ExitsSlowlyOnTerm));
            targets.Add(await fleet.StartAsync(i, "web2", "app=web", BusyboxRootfs.ExitsSlowlyOnTerm));
        }

        var db = await fleet.StartAsync(0, "db", "app=db");

        var run = await fleet[0].ErtAsync("stop", "--selector", "app=web", "--node", fleet.NodeList, "--max-concurrency", "2", "--timeout", "20", "-o", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var stopped = json.RootElement.GetProperty("containers").EnumerateArray()
            .Where(c => c.GetProperty("outcome").GetString() == "stopped").Select(c => c.GetProperty("container").GetString()!).Order().ToList();
        Assert.Equal(targets.Order(), stopped);
        Assert.Equal(2, json.RootElement.GetProperty("maxConcurrency").GetInt32());
        Assert.Equal(2, fleet.Witness.MostAtOnce);
        Assert.Equal(targets.Order(), fleet.Witness.Signalled.Keys.Order());
        Assert.False(await fleet[0].IsStoppedAsync(db));
        var counts = Assert.Single(json.RootElement.GetProperty("counts").EnumerateArray());
        Assert.Equal(("stopped", 6), (counts.GetProperty("outcome").GetString(), counts.GetProperty("count").GetInt32()));
    }

    [Fact]
    public async Task A_fleet_stop_with_max_errors_1_stops_sending_after_the_second_paused_target_and_reports_the_rest_skipped()
    {
        await using var fleet = await ThreeNodes.StartAsync(broker);
        // Sent in node then id order: the two paused containers of the first node go first.
        var paused = new[] { await fleet.StartAsync(0, "a-paused", "app=web"), await fleet.StartAsync(0, "b-paused", "app=web") };
        foreach (var id in paused)
        {
            await fleet[0].Sandbox.CreatingRuntime.PauseAsync(id, CancellationToken.None);
        }

        var rest = new List<(int Node, string Id)> { (0, await fleet.StartAsync(0, "web", "app=web")) };
        for (var i = 1; i < 3; i++)
        {
            rest.Add((i, await fleet.StartAsync(i, "web", "app=web")));
        }

        var run = await fleet[0].ErtAsync("stop", "--selector", "app=web", "--node", fleet.NodeList, "--max-concurrency", "1", "--max-errors", "1", "-o", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var outcomes = json.RootElement.GetProperty("containers").EnumerateArray()
            .Select(c => (c.GetProperty("container").GetString()!, c.GetProperty("outcome").GetString()!, c.GetProperty("code").GetString())).ToList();
        Assert.Equal([(paused[0], "failed", "Paused"), (paused[1], "failed", "Paused"), .. rest.Select(r => (r.Id, "skipped", (string?)null))], outcomes);
        Assert.True(json.RootElement.GetProperty("thresholdPassed").GetBoolean());
        Assert.Contains("ert: more than 1 stops failed; the rest were not sent", run.StderrLines);
        foreach (var (node, id) in rest)
        {
            Assert.False(await fleet[node].IsStoppedAsync(id), $"{id} was stopped although it was skipped");
        }

        // Not one command reached the agents for the skipped targets.
        Assert.Empty(fleet.Witness.Signalled);
        var counts = json.RootElement.GetProperty("counts").EnumerateArray().Select(c => (c.GetProperty("outcome").GetString(), c.GetProperty("code").GetString(), c.GetProperty("count").GetInt32()));
        Assert.Equal([("failed", "Paused", 2), ("skipped", null, 3)], counts);
    }

    [Fact]
    public async Task An_agent_that_is_down_is_reported_and_its_containers_are_not_counted_as_stopped()
    {
        await using var fleet = await ThreeNodes.StartAsync(broker);
        var live = new[] { await fleet.StartAsync(0, "web", "app=web"), await fleet.StartAsync(1, "web", "app=web") };
        var orphan = await fleet.StartAsync(2, "web", "app=web");
        await fleet[2].Agent.DisposeAsync();

        var nodes = await fleet[0].ErtAsync("nodes", "--node", fleet.NodeList, "-o", "json");
        var ps = await fleet[0].ErtAsync("ps", "--node", fleet.NodeList, "--selector", "app=web");
        var stop = await fleet[0].ErtAsync("stop", "--selector", "app=web", "--node", fleet.NodeList, "-o", "json");

        Assert.True(nodes.ExitCode == 1, nodes.ToString());
        using var nodesJson = JsonDocument.Parse(nodes.Stdout);
        var states = nodesJson.RootElement.EnumerateArray().Select(n => (n.GetProperty("node").GetString()!, n.GetProperty("state").GetString()!)).ToList();
        Assert.Equal([(fleet[0].Name, "live"), (fleet[1].Name, "live"), (fleet[2].Name, "silent")], states);

        Assert.True(ps.ExitCode == 1, ps.ToString());
        Assert.Contains(ps.StderrLines, line => line.StartsWith($"ert: node {fleet[2].Name} did not answer within", StringComparison.Ordinal));
        Assert.DoesNotContain(orphan, ps.Stdout, StringComparison.Ordinal);

        Assert.True(stop.ExitCode == 1, stop.ToString());
        using var stopJson = JsonDocument.Parse(stop.Stdout);
        Assert.Equal([fleet[2].Name], stopJson.RootElement.GetProperty("silentNodes").EnumerateArray().Select(n => n.GetString()));
        var results = stopJson.RootElement.GetProperty("containers").EnumerateArray()
            .Select(c => (c.GetProperty("container").GetString()!, c.GetProperty("outcome").GetString()!)).ToList();
        Assert.Equal(live.Select(id => (id, "stopped")), results);
        Assert.Contains(stop.StderrLines, line => line == $"ert: node {fleet[2].Name} did not answer the inventory within 5.0 s: its containers were not stopped");
        Assert.False(await fleet[2].IsStoppedAsync(orphan));
    }
}
