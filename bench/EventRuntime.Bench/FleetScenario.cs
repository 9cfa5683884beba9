using System.Text.Json;

namespace EventRuntime.Bench;

/// <summary>
/// Scenario "fleet": <c>ert nodes</c> and <c>ert ps --selector</c> as whole processes against a hundred in-process
/// agents (instant runtime, as in the scale scenario), each answer checked for completeness: every agent live, every
/// matching container listed. Target: each answers within 1 s.
/// </summary>
internal sealed class FleetScenario(Uri broker, string ert, int agents, int containersPerAgent, int runs, string? wait = null)
{
    public async Task<ScenarioReport> RunAsync()
    {
        if (Executables.Missing(ert) is { } absent)
        {
            return new ScenarioReport("ert nodes and ert ps against a fleet", "eventruntime-bench fleet", [], [], [absent], Failed: true);
        }

        // As infra/rabbitmq/definitions.json provisions a broker: the roster stream exists before the first agent's first
        // heartbeat (the first question to the fleet declares it; no agent answers this one yet). Its wait bounds the roster
        // read, declaration included: at 0.1 s a direct ert (no bus to start first) gave up before declaring it, the agents'
        // first heartbeats went nowhere, and the measured questions found the roster filling up over a heartbeat interval
        // (0, 20, 30, 43 members) and waited their whole second for the agents it lacked.
        await Shell.TimeAnyExitAsync(ert, ["nodes", "--wait", "3", "--rabbitmq", broker.ToString()]);
        var settings = new Dictionary<string, string?> { ["Health:Port"] = "0" };
        await using var fleet = new AgentFleet(BrokerPlacement.Single(broker), concurrency: 10, settings);
        var tag = "fl" + Environment.ProcessId;
        var containers = Enumerable.Range(0, agents).ToDictionary(
            a => $"{tag}-{a:000}", a => (IReadOnlyList<string>)[.. Enumerable.Range(0, containersPerAgent).Select(c => $"{tag}-{a:000}-c{c}")]);
        Console.Error.WriteLine($"fleet: starting {agents} agents");
        if (await fleet.StartAsync(containers, labelsOf: id => new Dictionary<string, string> { ["app"] = id.EndsWith('0') ? "web" : "db", ["bench"] = tag }) is { } failure)
        {
            return new ScenarioReport("ert nodes and ert ps against a fleet", "eventruntime-bench fleet", [], [], [$"agents did not start: {failure.Message}"], Failed: true);
        }

        // Not measured: until every agent's fleet queue answers (agents bind it once their bus runs).
        if (await AllAnswerAsync(tag, TimeSpan.FromMinutes(2)) is { } silent)
        {
            return new ScenarioReport("ert nodes and ert ps against a fleet", "eventruntime-bench fleet", [], [], [silent], Failed: true);
        }

        var (nodes, ps) = (new Samples($"ert nodes ({agents} agents)"), new Samples($"ert ps --selector app=web ({agents} agents)"));
        var expectedMatches = containers.Values.Sum(list => list.Count(id => id.EndsWith('0')));
        var problems = new List<string>();
        for (var i = 0; i < runs; i++)
        {
            // Exit 1 is a result here: an agent on the roster that did not answer within ert's wait is reported silent.
            var (nodesTime, nodesExit, nodesOut) = await RunErtAnyExitAsync("nodes", "-o", "json");
            nodes.Add(nodesTime);
            var live = JsonDocument.Parse(nodesOut).RootElement.EnumerateArray()
                .Count(n => n.GetProperty("node").GetString()!.StartsWith(tag, StringComparison.Ordinal) && n.GetProperty("state").GetString() == "live");
            var (psTime, psExit, psOut) = await RunErtAnyExitAsync("ps", "--selector", $"app=web,bench={tag}", "-o", "json");
            ps.Add(psTime);
            var listed = JsonDocument.Parse(psOut).RootElement.GetArrayLength();
            if (live != agents || listed != expectedMatches || nodesExit != 0 || psExit != 0)
            {
                problems.Add($"run {i + 1}: {live} of {agents} agents live, {listed} of {expectedMatches} containers listed (ert nodes exit {nodesExit}, ert ps exit {psExit})");
            }
        }

        var table = new List<string> { "| command (whole process) | runs | p50 ms | p90 ms | max ms |", "|---|---|---|---|---|" };
        table.AddRange(new[] { nodes, ps }.Select(s => $"| {s.Name} | {s.Count} | {s.P50:0} | {s.P90:0} | {s.Percentile(100):0} |"));
        return new ScenarioReport($"ert nodes and ert ps against {agents} agents", $"eventruntime-bench fleet --fleet-agents {agents} --runs {runs}", table,
            [$"ert nodes max = {nodes.Percentile(100):0} ms, ert ps max = {ps.Percentile(100):0} ms (target ≤ 1000 each)"],
            [.. problems.DefaultIfEmpty($"every run heard all {agents} agents and listed all {expectedMatches} matching containers of {agents * containersPerAgent}")],
            Failed: problems.Count > 0);
    }

    private async Task<string?> AllAnswerAsync(string tag, TimeSpan within)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var heard = 0;
        while (clock.Elapsed < within)
        {
            try
            {
                var (_, stdout) = await RunErtAsync("nodes", "-o", "json");
                heard = JsonDocument.Parse(stdout).RootElement.EnumerateArray().Count(n => n.GetProperty("node").GetString()!.StartsWith(tag, StringComparison.Ordinal));
                if (heard == agents)
                {
                    return null;
                }
            }
            catch (InvalidOperationException)
            {
                // ert exits 1 while no agent answers yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        return $"FAILED: only {heard} of {agents} agents answered ert nodes within {within.TotalSeconds:0} s of their start";
    }

    private async Task<(TimeSpan Elapsed, int ExitCode, string Stdout)> RunErtAnyExitAsync(params string[] arguments)
    {
        string[] window = wait is null ? [] : ["--wait", wait];
        var (elapsed, exitCode, stdout, _) = await Shell.TimeAnyExitAsync(ert, [.. arguments, .. window, "--rabbitmq", broker.ToString()]);
        return (elapsed, exitCode, stdout);
    }

    // --fleet-wait (seconds) overrides ert's own answer window, for a loaded machine; the figures then include it when an
    // agent on the roster does not answer (when all answer, a question to every node ends then).
    private async Task<(TimeSpan Elapsed, string Stdout)> RunErtAsync(params string[] arguments)
    {
        string[] window = wait is null ? [] : ["--wait", wait];
        var (elapsed, stdout, _) = await Shell.TimeAsync(ert, [.. arguments, .. window, "--rabbitmq", broker.ToString()]);
        return (elapsed, stdout);
    }
}
