using System.Text.Json;
using EventRuntime.Client.Tests.Support;
using EventRuntime.Contracts;
using EventRuntime.TestSupport;

namespace EventRuntime.Client.Tests.Cli;

// `ert stop` as a process against RabbitMQ, an agent and real runc containers.
[Collection(BrokerCollection.Name)]
public sealed class StopCommandTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task Stopping_one_container_prints_its_progress_and_a_table_and_exits_0()
    {
        await using var node = await TestNode.StartAsync(broker);
        var web = node.Id("web");
        await node.StartContainersAsync(web);

        var run = await node.ErtAsync("stop", web, "--node", node.Name);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["CONTAINER", "OUTCOME", "CODE", "LATENCY", "REASON"], Words(run.StdoutLines[0]));
        var row = Words(Assert.Single(run.StdoutLines.Skip(1)));
        Assert.Equal([web, "stopped", "-"], row.Take(3));
        Assert.Matches($@"^{web}: sent as command [0-9a-f-]{{36}}$", run.StderrLines[0]);
        Assert.Matches($@"^{web}: stopped in \d+ ms$", run.StderrLines[1]);
        Assert.True(await node.IsStoppedAsync(web));
    }

    [Fact]
    public async Task Ten_containers_are_stopped_in_one_call()
    {
        await using var node = await TestNode.StartAsync(broker);
        var ids = Enumerable.Range(1, 10).Select(i => node.Id($"web{i}")).ToArray();
        await node.StartContainersAsync(ids);

        var run = await node.ErtAsync(["stop", .. ids, "--node", node.Name]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var rows = run.StdoutLines.Skip(1).Select(Words).ToList();
        Assert.Equal(ids, rows.Select(row => row[0]));
        Assert.All(rows, row => Assert.Equal("stopped", row[1]));
        foreach (var id in ids)
        {
            Assert.True(await node.IsStoppedAsync(id), $"{id} still runs");
        }
    }

    [Fact]
    public async Task Json_output_parses_with_one_object_per_container_and_a_failure_exits_1()
    {
        await using var node = await TestNode.StartAsync(broker);
        var (web, ghost) = (node.Id("web"), node.Id("ghost"));
        await node.StartContainersAsync(web);

        var run = await node.ErtAsync("stop", web, ghost, "--node", node.Name, "--output", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        var stopped = items[0];
        Assert.Equal(web, stopped.GetProperty("container").GetString());
        Assert.Equal(node.Name, stopped.GetProperty("node").GetString());
        Assert.Equal("stopped", stopped.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, stopped.GetProperty("code").ValueKind);
        Assert.NotEqual(Guid.Empty, stopped.GetProperty("commandId").GetGuid());
        Assert.InRange(stopped.GetProperty("latencyMs").GetInt64(), 1, 60_000);
        var failed = items[1];
        Assert.Equal(ghost, failed.GetProperty("container").GetString());
        Assert.Equal("failed", failed.GetProperty("outcome").GetString());
        Assert.Equal(StopFailureCode.NotFound, failed.GetProperty("code").GetString());
        Assert.StartsWith($"failed to find container {ghost}: ", failed.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_paused_container_fails_with_Paused_and_is_stopped_with_resume_paused()
    {
        await using var node = await TestNode.StartAsync(broker);
        var frozen = node.Id("frozen");
        await node.StartContainersAsync(frozen);
        await node.Sandbox.CreatingRuntime.PauseAsync(frozen, CancellationToken.None);

        var refused = await node.ErtAsync("stop", frozen, "--node", node.Name);
        var resumed = await node.ErtAsync("stop", frozen, "--node", node.Name, "--resume-paused");

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Equal([frozen, "failed", "Paused"], Words(refused.StdoutLines[1]).Take(3));
        Assert.EndsWith($"cannot stop paused container {frozen}", refused.StdoutLines[1], StringComparison.Ordinal);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.True(await node.IsStoppedAsync(frozen));
    }

    [Fact]
    public async Task No_wait_prints_the_command_ids_at_once_and_the_agent_still_stops_the_container()
    {
        await using var node = await TestNode.StartAsync(broker);
        var stubborn = node.Id("stubborn");
        await node.Sandbox.StartAsync(stubborn, BusyboxRootfs.IgnoresTerm);

        var run = await node.ErtAsync("stop", stubborn, "--node", node.Name, "--timeout", "3", "--no-wait", "--output", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var sent = Assert.Single(json.RootElement.EnumerateArray().ToList());
        Assert.Equal("sent", sent.GetProperty("outcome").GetString());
        Assert.NotEqual(Guid.Empty, sent.GetProperty("commandId").GetGuid());
        // It ignores SIGTERM, so the agent needs the whole 3 s grace period: ert was long gone by then.
        Assert.False(await node.IsStoppedAsync(stubborn));
        Assert.True(await node.Sandbox.WaitStoppedAsync(stubborn, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_node_without_an_agent_gives_no_outcome_and_exit_1_when_the_wait_is_over()
    {
        await using var node = await TestNode.StartAsync(broker);
        var nobody = "absent-" + Guid.NewGuid().ToString("N")[..8];
        await NodeQueueProvisioning.DeclareAsync(broker.AmqpUri, nobody);

        var run = await node.ErtAsync("stop", "web", "--node", nobody, "--wait-timeout", "2");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.InRange(run.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15));
        var row = run.StdoutLines[1];
        Assert.StartsWith("web", row, StringComparison.Ordinal);
        Assert.Contains("no-outcome", row, StringComparison.Ordinal);
        Assert.Contains($"no outcome for the stop of container web on node {nobody}", row, StringComparison.Ordinal);
        Assert.Contains("within 2 s", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_without_a_command_queue_is_send_failed_at_once_and_exit_1()
    {
        await using var node = await TestNode.StartAsync(broker);
        var unknown = "noqueue-" + Guid.NewGuid().ToString("N")[..8];

        var run = await node.ErtAsync("stop", "web", "--node", unknown, "--wait-timeout", "30", "--output", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        // Refused by the broker, so ert does not wait for an outcome that cannot come.
        Assert.InRange(run.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(20));
        using var json = JsonDocument.Parse(run.Stdout);
        var row = Assert.Single(json.RootElement.EnumerateArray().ToList());
        Assert.Equal("send-failed", row.GetProperty("outcome").GetString());
        Assert.Contains($"the broker has no command queue for node {unknown}", row.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_require_node_publisher_an_outcome_from_a_user_other_than_node_N_is_not_counted()
    {
        // This broker's agent logs in as the test broker's admin user, not as node-<name>.
        await using var node = await TestNode.StartAsync(broker);
        var web = node.Id("web");
        await node.StartContainersAsync(web);

        var run = await node.ErtAsync("stop", web, "--node", node.Name, "--require-node-publisher", "--wait-timeout", "3", "--output", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("no-outcome", Assert.Single(json.RootElement.EnumerateArray().ToList()).GetProperty("outcome").GetString());
        // The agent did stop it; only its outcome was not believed.
        Assert.True(await node.IsStoppedAsync(web));
    }

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
