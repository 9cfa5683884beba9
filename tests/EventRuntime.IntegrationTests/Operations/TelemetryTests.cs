using System.Diagnostics;
using EventRuntime.IntegrationTests.Stopping;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Operations;
using EventRuntime.TestSupport;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace EventRuntime.IntegrationTests.Operations;

[Collection(BrokerCollection.Name)]
public sealed class TelemetryTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task One_trace_spans_the_command_the_saga_the_runtime_call_and_the_outcome_and_the_stop_is_measured()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource("MassTransit", NodeTelemetry.Name).AddInMemoryExporter(spans).Build();
        using var metering = Sdk.CreateMeterProviderBuilder().AddMeter(NodeTelemetry.Name).AddInMemoryExporter(metrics).Build();
        await using var scenario = await StopScenario.StartAsync(broker);
        await scenario.Sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);

        var commandId = await scenario.StopAsync("web");
        await scenario.Plane.StoppedAsync(commandId);
        await Task.Delay(500); // the outcome's publish span ends after the subscriber has it
        tracing!.ForceFlush();
        metering!.ForceFlush();

        var stop = spans.Single(s => s.DisplayName == "stop web");
        var trace = spans.Where(s => s.TraceId == stop.TraceId).ToList();
        // The trace starts where the control plane sent the command.
        var root = Assert.Single(trace, s => s.ParentSpanId == default);
        var names = string.Join(", ", trace.Select(s => $"{s.Kind}:{s.DisplayName}"));
        Assert.True(root.Kind == ActivityKind.Producer && root.DisplayName.Contains($"eventruntime-node-{scenario.Node}", StringComparison.Ordinal), names);
        Assert.Contains(trace, s => s.Kind == ActivityKind.Consumer && s.DisplayName.Contains($"eventruntime-node-{scenario.Node}", StringComparison.Ordinal));
        Assert.Contains(trace, s => s.DisplayName == "stop web");
        Assert.Contains(trace, s => s.DisplayName == "recording-runc kill");
        Assert.True(trace.Any(s => s.Kind == ActivityKind.Producer && s.DisplayName.Contains("ContainerStopped", StringComparison.Ordinal)), names);

        var duration = metrics.Single(m => m.Name == "stop.duration");
        var points = new List<(long Count, string? Outcome)>();
        foreach (ref readonly var point in duration.GetMetricPoints())
        {
            string? outcome = null;
            foreach (var tag in point.Tags)
            {
                outcome = tag.Key == "outcome" ? tag.Value as string : outcome;
            }

            points.Add((point.GetHistogramCount(), outcome));
        }

        Assert.Contains(points, p => p.Outcome == "stopped" && p.Count >= 1);
        Assert.Contains(metrics, m => m.Name == "runtime.call.duration");
    }
}
