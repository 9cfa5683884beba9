using System.Diagnostics;
using System.Globalization;
using EventRuntime.TestSupport;

namespace EventRuntime.Bench;

/// <summary>
/// Scenario 4: <c>agents</c> node agents in this process on one broker, and a control plane that sends a stop
/// for each of <c>containers</c> containers (containers / agents per node) at once. Baseline, in the same run:
/// the same storm against a single agent that holds every container (configured as in the throughput
/// scenario), so the ratio says what spreading the same work over many agents, connections and queues costs.
/// Every command must get exactly one outcome; anything else fails the scenario. On a cluster (<c>--cluster</c>)
/// the agents are spread over its nodes (<see cref="BrokerPlacement"/>), and the broker figures are per node.
/// </summary>
internal sealed class ScaleScenario(BrokerPlacement placement, int agents, int containers, int startConcurrency)
{
    // As in the throughput scenario: sends awaiting their confirms at once, and the single agent's stop concurrency.
    private const int InFlight = 500;
    private static readonly TimeSpan StormDeadline = TimeSpan.FromMinutes(10);

    /// <summary>The fleet's storm, once <see cref="RunAsync"/> has run it.</summary>
    public StormResult? FleetStorm { get; private set; }

    public async Task<ScenarioReport> RunAsync()
    {
        var stats = await BrokerStats.ForAsync(placement.Nodes);
        var run = $"bench-scale-{Environment.ProcessId}";
        var before = await stats.SnapshotAsync();

        Console.Error.WriteLine($"scale: baseline, {containers} stops against 1 agent");
        var single = await SingleAgentAsync(run, stats);

        Console.Error.WriteLine($"scale: {agents} agents, {containers} stops");
        var fleet = await FleetAsync(run, stats);
        FleetStorm = fleet.Storm;
        var failed = fleet.StartFailure is not null || fleet.Storm is not { ExactlyOnce: true } || !single.Storm.ExactlyOnce || fleet.StopFailures.Count > 0;

        var table = new List<string>
        {
            "| run | agents | stops | time to last outcome | outcomes/s | p50 ms | p99 ms | outcomes (stopped + failed) | missing | duplicates | all sends confirmed after |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
            Row($"baseline: 1 agent holding every container (Stop:Concurrency={InFlight})", 1, single.Storm),
        };
        if (fleet.Storm is not null)
        {
            table.Add(Row($"{fleet.Started} agents, {containers / Math.Max(1, agents)} containers each (default settings)", fleet.Started, fleet.Storm));
        }

        table.AddRange(["", "| agent process (all agents, the control plane, the bench) | RSS MiB | managed heap MiB | threads | open files |", "|---|---|---|---|---|"]);
        table.AddRange(fleet.Footprints.Select(f => f.Row()));
        if (fleet.Started > 0 && fleet.Footprints.Count >= 2)
        {
            var (empty, full) = (fleet.Footprints[0], fleet.Footprints[1]);
            table.Add($"| per agent ({full.When} − {empty.When}) / {fleet.Started} | {(full.RssKiB - empty.RssKiB) / 1024.0 / fleet.Started:0.00} | {(full.ManagedBytes - empty.ManagedBytes) / 1024.0 / 1024.0 / fleet.Started:0.00} | {(full.Threads - empty.Threads) / (double)fleet.Started:0.00} | {(full.OpenFiles - empty.OpenFiles) / (double)fleet.Started:0.00} |");
        }

        var snapshots = new List<(string When, IReadOnlyList<BrokerSnapshot>? Snapshot)> { ("before the baseline", before) };
        snapshots.AddRange(single.Snapshots);
        snapshots.AddRange(fleet.Snapshots);
        if (snapshots.All(s => s.Snapshot is not null))
        {
            table.AddRange(["", BrokerSnapshot.Header, "|---|---|---|---|---|---|---|---|---|"]);
            table.AddRange(snapshots.SelectMany(s => s.Snapshot!.Select((node, i) => node.Row(placement.IsCluster ? $"{s.When} (rmq{i + 1})" : s.When))));
        }

        var ratios = new List<string>();
        if (fleet.Storm is { Answered: > 0 } storm && single.Storm.Answered > 0)
        {
            ratios.Add($"{fleet.Started} agents / 1 agent, time to last outcome for the same {containers} stops = {storm.ToLastOutcome / single.Storm.ToLastOutcome:0.00}");
            ratios.Add($"{fleet.Started} agents / 1 agent, p99 outcome latency = {storm.Latency.P99 / single.Storm.Latency.P99:0.00}");
        }

        var notes = new List<string>
        {
            "Outcome latency: from the start of a command's send (the control plane sends " + InFlight + " at a time, each awaiting its publisher confirm) to its outcome's arrival in the control plane's handler.",
            $"Every agent is the real wiring (host, bus, saga, SQLite saga store in its own state directory, heartbeat every 10 s) with the instant runtime and no storage; all run in this one process. Started {startConcurrency} at a time: {fleet.Started} of {agents} agents in {fleet.StartTime.TotalSeconds:0.0} s; stopped in {fleet.StopTime.TotalSeconds:0.0} s{(fleet.StopFailures.Count > 0 ? ", not cleanly: " + string.Join("; ", fleet.StopFailures.Take(3)) : ", all cleanly")}.",
            $"Open-file limit of this process: {OpenFileLimit()}.",
            $"Broker: {placement.Describe()}.",
            "Broker figures from rabbitmqctl in the broker's container: memory is the broker's RSS (its vm_memory strategy); queue processes and connections (readers, writers, channels, other) are parts of it.",
        };
        if (stats.Unavailable is { } why)
        {
            notes.Add(why);
        }

        if (fleet.StartFailure is { } failure)
        {
            notes.Add($"FAILED to start all {agents} agents: {fleet.Started} started, then {failure.GetType().Name}: {failure.Message}");
        }

        foreach (var (name, result) in new[] { ("baseline", single.Storm), ("fleet", fleet.Storm) })
        {
            if (result is { ExactlyOnce: false })
            {
                notes.Add($"FAILED ({name}): {result.Sent} sent, {result.Answered} answered, {result.Missing} missing, {result.Duplicates} duplicates: every command must get exactly one outcome.");
            }
        }

        return new ScenarioReport($"Scale simulation ({agents} agents, {containers} stops at once)",
            $"eventruntime-bench scale --agents {agents} --scale-containers {containers}", table, ratios, notes, failed);
    }

    /// <summary>The fleet's storm on the cluster next to the same storm on one broker, both of this invocation.</summary>
    public static ScenarioReport ClusterAgainstOneBroker(StormResult? oneBroker, StormResult? cluster, int agents, int containers)
    {
        var title = $"Scale on a three-node cluster against one broker ({agents} agents, {containers} stops, this invocation)";
        if (oneBroker is not { Answered: > 0 } single || cluster is not { Answered: > 0 } three)
        {
            return new ScenarioReport(title, "", [], [], ["FAILED: a fleet storm did not run to its outcomes; see the two reports above."], Failed: true);
        }

        string[] table =
        [
            "| broker | time to last outcome | p50 ms | p99 ms | outcomes | missing | duplicates |",
            "|---|---|---|---|---|---|---|",
            $"| one broker, classic queues | {single.ToLastOutcome.TotalSeconds:0.00} s | {single.Latency.P50:0} | {single.Latency.P99:0} | {single.Answered} | {single.Missing} | {single.Duplicates} |",
            $"| three-node cluster, quorum queues | {three.ToLastOutcome.TotalSeconds:0.00} s | {three.Latency.P50:0} | {three.Latency.P99:0} | {three.Answered} | {three.Missing} | {three.Duplicates} |",
        ];
        string[] ratios =
        [
            $"cluster / one broker, time to last outcome = {three.ToLastOutcome / single.ToLastOutcome:0.00}",
            $"cluster / one broker, p99 outcome latency = {three.Latency.P99 / single.Latency.P99:0.00}",
        ];
        return new ScenarioReport(title, $"eventruntime-bench scale --cluster --agents {agents} --scale-containers {containers}", table, ratios, [], !single.ExactlyOnce || !three.ExactlyOnce);
    }

    private static string Row(string name, int agents, StormResult storm) =>
        $"| {name} | {agents} | {storm.Sent} | {storm.ToLastOutcome.TotalSeconds:0.00} s | {storm.Answered / storm.ToLastOutcome.TotalSeconds:0} | {storm.Latency.P50:0} | {storm.Latency.P99:0} | {storm.OutcomeEvents} ({storm.Stopped} + {storm.Failed}) | {storm.Missing} | {storm.Duplicates} | {storm.SendsConfirmed.TotalSeconds:0.00} s |";

    private async Task<(StormResult Storm, List<(string, IReadOnlyList<BrokerSnapshot>?)> Snapshots)> SingleAgentAsync(string run, BrokerStats stats)
    {
        var node = run + "-single";
        var ids = Enumerable.Range(0, containers).Select(i => $"c{i}").ToList();
        await using var fleet = new AgentFleet(placement, 1, new Dictionary<string, string?> { ["Stop:Concurrency"] = InFlight.ToString(CultureInfo.InvariantCulture) });
        if (await fleet.StartAsync(new Dictionary<string, IReadOnlyList<string>> { [node] = ids }) is { } failure)
        {
            throw new InvalidOperationException($"the baseline agent did not start: {failure.Message}", failure);
        }

        await using var plane = await ControlPlane.StartAsync(placement.Nodes[0], quorumCommandQueues: placement.IsCluster);
        var storm = await new StopStormRun(plane, InFlight).RunAsync(ids.Select(id => (node, id)).ToList(), StormDeadline);
        return (storm, [("1 agent, after its storm", await stats.SnapshotAsync())]);
    }

    private async Task<FleetRun> FleetAsync(string run, BrokerStats stats)
    {
        var result = new FleetRun();
        var perNode = containers / Math.Max(1, agents);
        var nodes = Enumerable.Range(0, agents).ToDictionary(n => $"{run}-{n:D4}", n => (IReadOnlyList<string>)Enumerable.Range(0, perNode).Select(i => $"c{i}").ToList());
        var fleet = new AgentFleet(placement, startConcurrency, new Dictionary<string, string?>());
        try
        {
            result.Footprints.Add(Footprint.Now("no agents", collect: true));
            var clock = Stopwatch.StartNew();
            result.StartFailure = await fleet.StartAsync(nodes, started =>
            {
                if (started % 100 == 0)
                {
                    Console.Error.WriteLine($"scale: {started} agents started in {clock.Elapsed.TotalSeconds:0} s, {Footprint.Now("").Describe()}");
                }
            });
            result.StartTime = clock.Elapsed;
            result.Started = fleet.Count;
            result.Footprints.Add(Footprint.Now($"{result.Started} agents idle", collect: true));
            result.Snapshots.Add(($"{result.Started} agents idle", await stats.SnapshotAsync()));
            if (result.StartFailure is not null)
            {
                Console.Error.WriteLine($"scale: start failed after {result.Started} agents: {result.StartFailure}");
                return result;
            }

            await using var plane = await ControlPlane.StartAsync(placement.Nodes[0], quorumCommandQueues: placement.IsCluster);
            var stops = nodes.SelectMany(n => n.Value.Select(id => (n.Key, id))).ToList();
            var peak = Footprint.Now("");
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peak = Footprint.Max(peak, Footprint.Now(""));
                    await Task.Delay(200, CancellationToken.None);
                }
            });
            result.Storm = await new StopStormRun(plane, InFlight).RunAsync(stops, StormDeadline);
            await sampling.CancelAsync();
            await sampler;
            result.Footprints.Add(peak with { When = $"peak during the {stops.Count}-stop storm" });
            result.Snapshots.Add(($"{result.Started} agents, after the storm", await stats.SnapshotAsync()));
        }
        finally
        {
            Console.Error.WriteLine($"scale: stopping {fleet.Count} agents");
            (result.StopTime, result.StopFailures) = await fleet.StopAllAsync();
            await fleet.DisposeAsync();
        }

        return result;
    }

    private static string OpenFileLimit() =>
        File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal)) is { } line
            ? string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(3).Take(2)) + " (soft hard)"
            : "unknown";

    private sealed class FleetRun
    {
        public int Started { get; set; }

        public Exception? StartFailure { get; set; }

        public TimeSpan StartTime { get; set; }

        public TimeSpan StopTime { get; set; }

        public IReadOnlyList<string> StopFailures { get; set; } = [];

        public StormResult? Storm { get; set; }

        public List<Footprint> Footprints { get; } = [];

        public List<(string, IReadOnlyList<BrokerSnapshot>?)> Snapshots { get; } = [];
    }
}
