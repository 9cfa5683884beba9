// eventruntime-bench [latency|storm|throughput|all] [--stops N] [--containers N] [--messages N] [--out FILE]
// Every scenario runs its baseline in the same invocation and prints ratios. "all" also writes the report
// (docs/benchmarks.md unless --out says otherwise).
using EventRuntime.Bench;
using EventRuntime.TestSupport;

var scenario = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
int Option(string name, int fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
var output = Array.IndexOf(args, "--out") is var o and >= 0 && o + 1 < args.Length ? args[o + 1] : null;
var (stops, containers, messages) = (Option("--stops", 50), Option("--containers", 200), Option("--messages", 20_000));

var broker = new RabbitMqBroker();
await broker.InitializeAsync();
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
}
finally
{
    await broker.DisposeAsync();
}

var markdown = BenchmarkReport.Markdown(reports, string.Join(' ', args));
Console.WriteLine(markdown);
if (output is not null)
{
    var previous = File.Exists(output) ? await File.ReadAllTextAsync(output) : null;
    await File.WriteAllTextAsync(output, BenchmarkReport.WithAnalysisOf(markdown, previous));
    Console.WriteLine($"wrote {output}");
}

return reports.Count > 0 ? 0 : 2;
