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
        foreach (var argument in new[] { "all", "--stops", "2", "--containers", "3", "--messages", "40", "--out", report })
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["RABBITMQ_URL"] = broker.AmqpUri.ToString();
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));

        Assert.True(process.ExitCode == 0, await output + await errors);
        var text = await File.ReadAllTextAsync(report);
        File.Delete(report);
        foreach (var heading in new[] { "Single-stop latency", "Stop storm", "Footprint of the agent process", "Pipeline throughput" })
        {
            Assert.Contains("### " + heading, text, StringComparison.Ordinal);
        }

        Assert.Contains("EventRuntime/A p50 = ", text, StringComparison.Ordinal);
        Assert.Contains("EventRuntime/raw time to last outcome = ", text, StringComparison.Ordinal);
        Assert.Contains("saga stops/s / plain MassTransit msgs/s = ", text, StringComparison.Ordinal);
    }
}
