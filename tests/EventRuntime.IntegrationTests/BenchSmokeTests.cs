using System.Diagnostics;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests;

// The benchmark harness at tiny sizes, so that it cannot rot. No timing is asserted: only that every
// scenario ran and reported its figures and ratios.
[Collection(BrokerCollection.Name)]
public sealed class BenchSmokeTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task Every_benchmark_scenario_runs_at_tiny_size_and_reports_its_ratios()
    {
        var bench = Path.Combine(Path.GetDirectoryName(AgentProcess.ExecutablePath)!
            .Replace(Path.Combine("src", "EventRuntime.Node"), Path.Combine("bench", "EventRuntime.Bench"), StringComparison.Ordinal), "eventruntime-bench");
        var report = Path.Combine(Path.GetTempPath(), $"eventruntime-bench-smoke-{Guid.NewGuid():N}.md");
        var startInfo = new ProcessStartInfo(bench) { RedirectStandardOutput = true, RedirectStandardError = true };
        // The whole-process scenarios run the executables this build made (run.sh publishes its own); ert's fleet
        // questions get 5 s instead of 0.5 s, since the suite runs on loaded machines and no timing is asserted here.
        var ert = Path.Combine(Path.GetDirectoryName(AgentProcess.ExecutablePath)!
            .Replace(Path.Combine("src", "EventRuntime.Node"), Path.Combine("src", "EventRuntime.Cli"), StringComparison.Ordinal), "ert");
        foreach (var argument in new[]
        {
            "all", "--stops", "2", "--containers", "3", "--messages", "40", "--agents", "3", "--scale-containers", "9",
            "--runs", "1", "--fleet-agents", "3", "--fleet-wait", "5", "--ert", ert, "--node-executable", AgentProcess.ExecutablePath, "--out", report,
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["RABBITMQ_URL"] = broker.AmqpUri.ToString();
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            // About 25 s on an idle machine: the margin is for a loaded one.
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"the bench did not finish within 10 minutes; its output:\n{await output}{await errors}");
        }

        Assert.True(process.ExitCode == 0, await output + await errors);
        var text = await File.ReadAllTextAsync(report);
        File.Delete(report);
        foreach (var heading in new[] { "Single-stop latency", "Stop storm", "Footprint of the agent process", "Pipeline throughput", "Scale simulation", "ert against podman (1 paired runs", "ert nodes and ert ps against 3 agents" })
        {
            Assert.Contains("### " + heading, text, StringComparison.Ordinal);
        }

        Assert.Contains("EventRuntime/A p50 = ", text, StringComparison.Ordinal);
        Assert.Contains("EventRuntime/raw time to last outcome = ", text, StringComparison.Ordinal);
        Assert.Contains("saga stops/s / plain MassTransit msgs/s = ", text, StringComparison.Ordinal);
        Assert.Contains("3 agents / 1 agent, time to last outcome for the same 9 stops = ", text, StringComparison.Ordinal);
        foreach (var run in new[] { "| baseline: 1 agent holding every container", "| 3 agents, 3 containers each" })
        {
            // Exactly one outcome per stop: 9 received, all ContainerStopped, none missing, none twice.
            var cells = text.Split('\n').Single(l => l.StartsWith(run, StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries);
            Assert.Equal(["9", "9 (9 + 0)", "0", "0"], new[] { cells[3], cells[8], cells[9], cells[10] });
        }
    }
}
