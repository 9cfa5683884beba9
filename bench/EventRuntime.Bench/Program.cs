// eventruntime-bench [latency|storm|throughput|scale|cli|fleet|all] [--stops N] [--containers N] [--messages N]
//                    [--agents N] [--scale-containers M] [--start-concurrency N] [--cluster] [--runs N] [--fleet-agents N]
//                    [--ert PATH] [--node-executable PATH] [--fleet-wait S] [--out FILE] [--merge]
// --cluster (scale only): the scale scenario on one broker and then, in the same invocation, with the agents spread
//            over a three-node RabbitMQ cluster with quorum queues; the report compares the two.
// Every scenario runs its baseline in the same invocation and prints ratios. "all" also writes the report
// (docs/benchmarks.md unless --out says otherwise).
using EventRuntime.Bench;
using EventRuntime.TestSupport;
using Xunit;

var scenario = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
int Option(string name, int fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
string? Text(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var output = Text("--out");
var (runs, fleetAgents) = (Option("--runs", 7), Option("--fleet-agents", 100));
var ert = Text("--ert") ?? Path.Combine(Repository.Root, ".artifacts", "bench-cli", "ert", "ert");
var nodeExecutable = Text("--node-executable") ?? Path.Combine(Repository.Root, ".artifacts", "bench-cli", "node", "eventruntime-node");
var (stops, containers, messages) = (Option("--stops", 50), Option("--containers", 200), Option("--messages", 20_000));
var (agents, scaleContainers, startConcurrency) = (Option("--agents", 1_000), Option("--scale-containers", 10_000), Option("--start-concurrency", 20));

string[] scenarios = ["latency", "storm", "throughput", "cli", "fleet", "scale", "all"];
if (!scenarios.Contains(scenario) || args.Contains("--help") || args.Contains("-h"))
{
    // Anything else would fall through to nothing, or (for --help) to "all": a 20-minute run nobody asked for.
    Console.Error.WriteLine($"usage: eventruntime-bench [{string.Join('|', scenarios)}] [options]; the options are listed at the top of bench/EventRuntime.Bench/Program.cs");
    return 2;
}

var onCluster = args.Contains("--cluster");
if (onCluster && scenario != "scale")
{
    Console.Error.WriteLine("eventruntime-bench: --cluster applies to the scale scenario only");
    return 2;
}

// A thousand agents need a thousand broker connections, more sockets than the broker image allows by default.
var broker = new RabbitMqBroker { FileDescriptors = 20_000 };
var cluster = new RabbitMqCluster { FileDescriptors = 20_000 };
await broker.InitializeAsync();
if (onCluster)
{
    await cluster.InitializeAsync();
}

var reports = new List<ScenarioReport>();
try
{
    if (scenario is "latency" or "all")
    {
        reports.Add(await new LatencyScenario(broker.AmqpUri, stops).RunAsync());
    }

    if (scenario is "storm" or "all")
    {
        var (storm, footprint) = await new StormScenario(broker.AmqpUri, containers).RunAsync();
        reports.AddRange([storm, footprint]);
    }

    if (scenario is "throughput" or "all")
    {
        reports.Add(await new ThroughputScenario(broker.AmqpUri, messages).RunAsync());
    }

    if (scenario is "cli" or "all")
    {
        reports.Add(await new CliScenario(broker.AmqpUri, ert, nodeExecutable, runs).RunAsync());
    }

    if (scenario is "fleet" or "all")
    {
        reports.Add(await new FleetScenario(broker.AmqpUri, ert, fleetAgents, containersPerAgent: 10, runs, Text("--fleet-wait")).RunAsync());
    }

    if (scenario is "scale" or "all")
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var oneBroker = new ScaleScenario(BrokerPlacement.Single(broker.AmqpUri), agents, scaleContainers, startConcurrency);
        reports.Add(await oneBroker.RunAsync());
        Console.Error.WriteLine($"scale: scenario took {clock.Elapsed.TotalMinutes:0.0} min");
        if (onCluster)
        {
            clock.Restart();
            var onThreeNodes = new ScaleScenario(BrokerPlacement.Cluster(cluster), agents, scaleContainers, startConcurrency);
            reports.Add(await onThreeNodes.RunAsync());
            reports.Add(ScaleScenario.ClusterAgainstOneBroker(oneBroker.FleetStorm, onThreeNodes.FleetStorm, agents, scaleContainers));
            Console.Error.WriteLine($"scale: on the cluster took {clock.Elapsed.TotalMinutes:0.0} min");
        }
    }
}
finally
{
    await broker.DisposeAsync();
    if (onCluster)
    {
        await cluster.DisposeAsync();
    }
}

var markdown = BenchmarkReport.Markdown(reports, string.Join(' ', args));
Console.WriteLine(markdown);
if (output is not null)
{
    var previous = File.Exists(output) ? await File.ReadAllTextAsync(output) : null;
    // --merge: a run of some scenarios replaces their sections of the report and keeps the others' last figures.
    await File.WriteAllTextAsync(output, args.Contains("--merge") && previous is not null
        ? BenchmarkReport.Merge(previous, reports)
        : BenchmarkReport.WithAnalysisOf(markdown, previous));
    Console.WriteLine($"wrote {output}");
}

return reports.Count == 0 ? 2 : reports.Any(r => r.Failed) ? 1 : 0;
