using System.Globalization;
using EventRuntime.IntegrationTests.Stopping;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Operations;

// A real Prometheus scrapes a running agent's /metrics; what it stored is read back through its HTTP query API.
[Collection(BrokerCollection.Name)]
public sealed class PrometheusScrapeTests(RabbitMqBroker broker)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_stop_through_the_bus_shows_in_Prometheus_as_a_counted_stop_and_a_latency_histogram()
    {
        var port = LoopbackPort.Free();
        var target = $"127.0.0.1:{port}";
        await using var scenario = await StopScenario.StartAsync(broker, settings: new Dictionary<string, string?> { ["Health:Port"] = port.ToString(CultureInfo.InvariantCulture) });
        await using var prometheus = await PrometheusServer.StartAsync("eventruntime-node", [target]);
        var instance = $"instance=\"{target}\"";
        await prometheus.QueryUntilAsync($"up{{{instance}}}", s => s.Count == 1 && s[0].Value == 1, Within);
        // The meters are static: agents of other tests in this process count into the same series, so compare with a baseline.
        var stopsBefore = Sum(await prometheus.QueryAsync($"eventruntime_node_stops{{{instance},outcome=\"stopped\"}}"));
        var countBefore = Sum(await prometheus.QueryAsync($"eventruntime_node_stop_duration_count{{{instance},outcome=\"stopped\"}}"));

        await scenario.Sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);
        await scenario.Plane.StoppedAsync(await scenario.StopAsync("web"));

        await prometheus.QueryUntilAsync($"eventruntime_node_stops{{{instance},outcome=\"stopped\"}}", s => Sum(s) >= stopsBefore + 1, Within);
        await prometheus.QueryUntilAsync($"eventruntime_node_stop_duration_count{{{instance},outcome=\"stopped\"}}", s => Sum(s) >= countBefore + 1, Within);
        var p99 = await prometheus.QueryUntilAsync(
            $"histogram_quantile(0.99, sum by (le) (eventruntime_node_stop_duration_bucket{{{instance},outcome=\"stopped\"}}))",
            s => s.Count == 1 && double.IsFinite(s[0].Value), Within);
        Assert.InRange(p99[0].Value, 0, 60);
        var steps = await prometheus.QueryUntilAsync($"eventruntime_node_stop_step_duration_count{{{instance}}}", s => s.Count > 0, Within);
        Assert.All(steps, s => Assert.True(s.Labels.ContainsKey("step"), "a step series without its step label"));
    }

    private static double Sum(IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)> samples) => samples.Sum(s => s.Value);
}
