using System.Text.Json;
using EventRuntime.Client.Tests.Support;
using EventRuntime.Contracts;
using EventRuntime.TestSupport;

namespace EventRuntime.Client.Tests.Cli;

// `ert events` as a process, printing outcomes of stops that another ert process makes.
[Collection(BrokerCollection.Name)]
public sealed class EventsCommandTests(RabbitMqBroker broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Events_follow_prints_the_outcomes_of_stops_made_by_another_process()
    {
        await using var node = await TestNode.StartAsync(broker);
        var (web, ghost) = (node.Id("web"), node.Id("ghost"));
        await node.StartContainersAsync(web);
        await using var events = Ert.Start(["events", "--follow", "--node", node.Name, "--output", "json", .. node.Connection]);
        await events.WaitForStderrAsync("listening for outcome events", Patience);

        var stop = await node.ErtAsync("stop", web, ghost, "--node", node.Name, "--output", "json");
        var lines = await events.WaitForStdoutLinesAsync(2, Patience);
        await events.InterruptAsync();
        var ended = await events.WaitForExitAsync(Patience);

        Assert.True(stop.ExitCode == 1, stop.ToString());
        using var sent = JsonDocument.Parse(stop.Stdout);
        var commandIds = sent.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("container").GetString()!, e => e.GetProperty("commandId").GetGuid());
        var printed = lines.Select(line => JsonDocument.Parse(line).RootElement).ToDictionary(e => e.GetProperty("container").GetString()!);
        Assert.Equal([ghost, web], printed.Keys.Order());
        Assert.Equal("stopped", printed[web].GetProperty("outcome").GetString());
        Assert.Equal(commandIds[web], printed[web].GetProperty("commandId").GetGuid());
        Assert.Equal(node.Name, printed[web].GetProperty("node").GetString());
        Assert.Equal("failed", printed[ghost].GetProperty("outcome").GetString());
        Assert.Equal(StopFailureCode.NotFound, printed[ghost].GetProperty("code").GetString());
        Assert.Equal(commandIds[ghost], printed[ghost].GetProperty("commandId").GetGuid());
        Assert.True(ended.ExitCode == 0, ended.ToString());
        Assert.Equal(2, ended.StdoutLines.Count);
    }

    [Fact]
    public async Task Events_filtered_by_outcome_print_a_table_row_for_the_failure_only()
    {
        await using var node = await TestNode.StartAsync(broker);
        var (web, ghost1, ghost2) = (node.Id("web"), node.Id("ghost1"), node.Id("ghost2"));
        await node.StartContainersAsync(web);
        await using var events = Ert.Start(["events", "--follow", "--node", node.Name, "--outcome", "failed", .. node.Connection]);
        await events.WaitForStderrAsync("listening for outcome events", Patience);

        // web's outcome is published before ghost2's: when ghost2's row is there, web's would have been too.
        var first = await node.ErtAsync("stop", web, ghost1, "--node", node.Name);
        var second = await node.ErtAsync("stop", ghost2, "--node", node.Name);
        var lines = await events.WaitForStdoutLinesAsync(3, Patience);
        await events.InterruptAsync();
        await events.WaitForExitAsync(Patience);

        Assert.Equal(1, first.ExitCode);
        Assert.Equal(1, second.ExitCode);
        Assert.Equal(["TIME", "NODE", "CONTAINER", "OUTCOME", "CODE", "REASON"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        // TIME is two words (date and time of day), so the node is the third.
        var rows = events.StdoutLines.Skip(1).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal([ghost1, ghost2], rows.Select(row => row[3]).Order());
        Assert.All(rows, row => Assert.Equal([node.Name, "failed", StopFailureCode.NotFound], new[] { row[2], row[4], row[5] }));
    }

    [Fact]
    public async Task Events_without_follow_listen_for_the_wait_and_exit_0()
    {
        await using var node = await TestNode.StartAsync(broker);

        var run = await node.ErtAsync("events", "--wait", "2");

        Assert.True(run.ExitCode == 0, run.ToString());
        // It ends by itself (ert's run is bounded at 90 s); how soon after its wait depends on how busy the machine is.
        Assert.InRange(run.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60));
        Assert.Equal(["ert: listening for outcome events for 2 s"], run.StderrLines);
    }
}
