using System.Text.RegularExpressions;
using EventRuntime.TestSupport;

namespace EventRuntime.Bench;

/// <summary>
/// Scenario "cli": the command lines as whole processes, paired run by run in the same invocation. <c>ert stop</c> of a
/// running TERM-trapping container (an in-process agent on runc) against <c>podman stop</c> of an equivalent podman
/// container; <c>eventruntime-node list</c> against <c>podman ps -a</c>. ert reports where its time went (ERT_TIMINGS=1).
/// </summary>
internal sealed partial class CliScenario(Uri broker, string ert, string nodeExecutable, int runs)
{
    [GeneratedRegex(@"(?<phase>[a-z-]+)=(?<ms>\d+)ms")]
    private static partial Regex Phase();

    public async Task<ScenarioReport> RunAsync()
    {
        if (PodmanBaseline.Missing is { } missing)
        {
            return new ScenarioReport("ert against podman", "eventruntime-bench cli", [], [], ["skipped: " + missing], Failed: true);
        }

        if (Executables.Missing(ert, nodeExecutable) is { } absent)
        {
            return new ScenarioReport("ert against podman", "eventruntime-bench cli", [], [], [absent], Failed: true);
        }

        await using var sandbox = new RuncSandbox();
        var node = "bench-cli-" + Environment.ProcessId;
        await using var agent = await NodeAgent.StartAsync(node, sandbox, broker);
        await using var podman = await PodmanBaseline.StartAsync();
        var (ertStop, podmanStop, ertList, podmanPs) = (new Samples("ert stop"), new Samples("podman stop -t 10"), new Samples("eventruntime-node list"), new Samples("podman ps -a"));
        var phases = new Dictionary<string, Samples>(StringComparer.Ordinal);
        // One of each first, not counted: the broker's queues, the page cache and podman's storage warm up.
        await ErtStopAsync(sandbox, node, "warmup", phases: null);
        await PodmanBaseline.StopOneAsync($"eventruntime-bench-cli-{Environment.ProcessId}-warmup");
        for (var i = 0; i < runs; i++)
        {
            Console.Error.WriteLine($"cli: pair {i + 1} of {runs}");
            ertStop.Add(await ErtStopAsync(sandbox, node, $"cli{i}", phases));
            podmanStop.Add(await PodmanBaseline.StopOneAsync($"eventruntime-bench-cli-{Environment.ProcessId}-{i}"));
            ertList.Add(await TimeAsync(nodeExecutable, "list", "--node", node, "--state-dir", sandbox.Paths.StateDirectory, "--runtime-root", sandbox.RuntimeOptions.Root));
            podmanPs.Add(await TimeAsync("podman", "ps", "-a"));
        }

        var table = new List<string> { "| command (whole process) | runs | p50 ms | p90 ms |", "|---|---|---|---|" };
        table.AddRange(new[] { ertStop, podmanStop, ertList, podmanPs }.Select(s => $"| {s.Name} | {s.Count} | {s.P50:0} | {s.P90:0} |"));
        var breakdown = string.Join(", ", phases.Select(p => $"{p.Key} {p.Value.P50:0} ms"));
        return new ScenarioReport($"ert against podman ({runs} paired runs, whole processes)", $"eventruntime-bench cli --runs {runs}", table,
            [
                $"ert stop / podman stop p50 = {ertStop.P50 / podmanStop.P50:0.00} (target ≤ 2)",
                $"eventruntime-node list / podman ps -a p50 = {ertList.P50 / podmanPs.P50:0.00} (target ≤ 2)",
            ],
            [
                $"ert stop, median of each phase (ERT_TIMINGS=1): {breakdown}",
                $"ert is the published single file ({ert}), ReadyToRun; eventruntime-node the published native front ({nodeExecutable}; infra/package/publish-node.sh).",
            ]);
    }

    private async Task<TimeSpan> ErtStopAsync(RuncSandbox sandbox, string node, string id, Dictionary<string, Samples>? phases)
    {
        await sandbox.StartAsync(id, BusyboxRootfs.TrapsTerm);
        var (elapsed, _, stderr) = await Shell.TimeAsync(ert, ["stop", id, "--node", node, "--timeout", "10", "--rabbitmq", broker.ToString()],
            new Dictionary<string, string?> { ["ERT_TIMINGS"] = "1", ["ERT_CONFIG"] = null, ["RABBITMQ_URL"] = null });
        foreach (Match match in Phase().Matches(stderr.Split('\n').LastOrDefault(line => line.StartsWith("ert: timings", StringComparison.Ordinal)) ?? ""))
        {
            if (phases is not null)
            {
                var name = match.Groups["phase"].Value;
                if (!phases.TryGetValue(name, out var samples))
                {
                    phases[name] = samples = new Samples(name);
                }

                samples.Add(TimeSpan.FromMilliseconds(int.Parse(match.Groups["ms"].Value, System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        return elapsed;
    }

    private static async Task<TimeSpan> TimeAsync(string fileName, params string[] arguments) => (await Shell.TimeAsync(fileName, arguments)).Elapsed;
}
