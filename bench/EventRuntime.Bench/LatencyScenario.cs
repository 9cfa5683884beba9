using System.Diagnostics;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;

namespace EventRuntime.Bench;

/// <summary>
/// Scenario 1: sequential stops of busybox containers that trap TERM, on overlay roots.
/// A: the raw runc CLI sequence (kill TERM, poll state every 10 ms, umount), no bus.
/// B: podman stop (podman with --runtime runc, image imported from the same busybox root).
/// EventRuntime: send StopContainer, wait for the outcome event.
/// </summary>
internal sealed class LatencyScenario(Uri broker, int stops)
{
    private static readonly TimeSpan StatePoll = TimeSpan.FromMilliseconds(10);

    public async Task<ScenarioReport> RunAsync()
    {
        Console.Error.WriteLine("latency: A, raw runc");
        var raw = await RawRuncAsync();
        Console.Error.WriteLine("latency: B, podman");
        var (podman, podmanNote) = await PodmanAsync();
        Console.Error.WriteLine("latency: EventRuntime");
        var (eventRuntime, breakdown) = await EventRuntimeAsync();

        var table = new List<string> { "| path | stops | p50 ms | p90 ms | p99 ms |", "|---|---|---|---|---|" };
        foreach (var samples in new[] { raw, podman, eventRuntime }.Where(s => s is not null).Cast<Samples>())
        {
            table.Add($"| {samples.Name} | {samples.Count} | {samples.P50:0.0} | {samples.P90:0.0} | {samples.P99:0.0} |");
        }

        var ratios = new List<string>
        {
            $"EventRuntime/A p50 = {eventRuntime.P50 / raw.P50:0.00} (target ≤ 1.1)",
            $"EventRuntime p99/p50 = {eventRuntime.P99 / eventRuntime.P50:0.00} (target ≤ 2)",
        };
        if (podman is not null)
        {
            ratios.Insert(1, $"EventRuntime/B p50 = {eventRuntime.P50 / podman.P50:0.00} (target ≤ 0.25)");
        }

        return new ScenarioReport($"Single-stop latency ({stops} sequential stops)", $"eventruntime-bench latency --stops {stops}", table, ratios,
            podmanNote is null ? [breakdown] : [breakdown, podmanNote]);
    }

    private async Task<Samples> RawRuncAsync()
    {
        var samples = new Samples("A: runc kill TERM + poll state + umount");
        await using var sandbox = new RuncSandbox();
        var runc = new[] { "--root", sandbox.RuntimeOptions.Root };
        for (var i = 0; i < stops; i++)
        {
            var record = await sandbox.StartAsync($"raw{i}", BusyboxRootfs.TrapsTerm);
            var clock = Stopwatch.StartNew();
            await Shell.RunAsync("runc", [.. runc, "kill", record.Id, "TERM"]);
            while (!(await Shell.RunAsync("runc", [.. runc, "state", record.Id])).Contains("\"stopped\"", StringComparison.Ordinal))
            {
                await Task.Delay(StatePoll);
            }

            await Shell.RunAsync("umount", record.RootfsMount);
            samples.Add(clock.Elapsed);
        }

        return samples;
    }

    private async Task<(Samples?, string?)> PodmanAsync()
    {
        if (PodmanBaseline.Missing is { } missing)
        {
            return (null, "B skipped: " + missing);
        }

        var samples = new Samples("B: podman stop (--runtime runc)");
        try
        {
            await using var podman = await PodmanBaseline.StartAsync();
            for (var i = 0; i < stops; i++)
            {
                samples.Add(await PodmanBaseline.StopOneAsync($"eventruntime-bench-{Environment.ProcessId}-{i}"));
            }

            return (samples, null);
        }
        catch (InvalidOperationException e)
        {
            return (samples.Count > 0 ? samples : null, $"B stopped early: {e.Message}");
        }
    }

    private async Task<(Samples, string)> EventRuntimeAsync()
    {
        var samples = new Samples("EventRuntime: StopContainer → outcome event");
        using var spans = new SpanTimes(Node.Kernel.NodeTelemetry.Name);
        await using var sandbox = new RuncSandbox();
        var node = "bench-latency-" + Environment.ProcessId;
        await using var agent = await NodeAgent.StartAsync(node, sandbox, broker);
        await using var plane = await ControlPlane.StartAsync(broker);
        // One stop to warm up the JIT and the queues; not counted.
        await sandbox.StartAsync("warmup", BusyboxRootfs.TrapsTerm);
        await plane.StoppedAsync(await plane.SendStopAsync(node, "warmup"));
        spans.Clear();
        for (var i = 0; i < stops; i++)
        {
            await sandbox.StartAsync($"er{i}", BusyboxRootfs.TrapsTerm);
            var clock = Stopwatch.StartNew();
            await plane.StoppedAsync(await plane.SendStopAsync(node, $"er{i}"));
            samples.Add(clock.Elapsed);
        }

        return (samples, spans.Breakdown(stops, samples));
    }
}
