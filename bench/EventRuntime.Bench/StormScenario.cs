using System.Diagnostics;
using EventRuntime.TestSupport;

namespace EventRuntime.Bench;

/// <summary>
/// Scenario 2 (and 5, footprint): N running containers stopped at once on one node. Baseline: the raw
/// runc sequence for all of them in parallel. EventRuntime: the real agent executable, all commands sent
/// at once; time to the last outcome and per-stop latency. The agent's RSS and CPU are sampled idle and
/// during the storm.
/// </summary>
internal sealed class StormScenario(Uri broker, int containers)
{
    public async Task<(ScenarioReport Storm, ScenarioReport Footprint)> RunAsync()
    {
        var (rawTotal, raw) = await RawParallelAsync();
        var (erTotal, eventRuntime, footprint) = await EventRuntimeAsync();
        var table = new List<string>
        {
            "| path | containers | time to last stop | per-stop p50 ms | per-stop p99 ms |",
            "|---|---|---|---|---|",
            $"| raw runc, all in parallel | {containers} | {rawTotal.TotalSeconds:0.00} s | {raw.P50:0} | {raw.P99:0} |",
            $"| EventRuntime (agent process, Stop:Concurrency={containers}) | {containers} | {erTotal.TotalSeconds:0.00} s | {eventRuntime.P50:0} | {eventRuntime.P99:0} |",
        };
        string[] ratios = [$"EventRuntime/raw time to last outcome = {erTotal / rawTotal:0.00} (target ≤ 1.5)"];
        var storm = new ScenarioReport($"Stop storm ({containers} containers at once)", $"eventruntime-bench storm --containers {containers}", table, ratios, []);
        return (storm, footprint);
    }

    private async Task<(TimeSpan, Samples)> RawParallelAsync()
    {
        var samples = new Samples("raw");
        await using var sandbox = new RuncSandbox();
        var records = new List<Node.Containers.ContainerRecord>();
        for (var i = 0; i < containers; i++)
        {
            records.Add(await sandbox.StartAsync($"raw{i}", BusyboxRootfs.TrapsTerm));
        }

        string[] runc = ["--root", sandbox.RuntimeOptions.Root];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(records.Select(async record =>
        {
            var one = Stopwatch.StartNew();
            var kill = await Shell.RunAsync("runc", [.. runc, "kill", record.Id, "TERM"]);
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (!(await Shell.RunAsync("runc", [.. runc, "state", record.Id])).Contains("\"stopped\"", StringComparison.Ordinal))
            {
                // Fail loudly rather than poll for ever: a baseline that hangs hides every figure after it.
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"raw baseline: {record.Id} still runs 2 min after runc kill TERM (which said: {kill.Trim()})");
                }

                await Task.Delay(10);
            }

            await Shell.RunAsync("umount", record.RootfsMount);
            lock (samples)
            {
                samples.Add(one.Elapsed);
            }
        }));
        return (clock.Elapsed, samples);
    }

    private async Task<(TimeSpan, Samples, ScenarioReport)> EventRuntimeAsync()
    {
        var samples = new Samples("EventRuntime");
        await using var sandbox = new RuncSandbox();
        for (var i = 0; i < containers; i++)
        {
            await sandbox.StartAsync($"er{i}", BusyboxRootfs.TrapsTerm);
        }

        var node = "bench-storm-" + Environment.ProcessId;
        await using var agent = new AgentProcess(node, sandbox, broker, Path.Combine(sandbox.Root, "agent.log"), $"--Stop:Concurrency={containers}");
        await using var plane = await ControlPlane.StartAsync(broker);
        agent.Start();
        var warmup = await plane.SendStopAsync(node, "warmup-does-not-exist");
        await plane.OutcomeOfAsync(warmup, TimeSpan.FromSeconds(60));

        var pid = agent.ProcessId;
        var idleCpuStart = ProcessFootprint.CpuSeconds(pid);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var idleCpu = (ProcessFootprint.CpuSeconds(pid) - idleCpuStart) / 5;
        var idleRss = ProcessFootprint.RssKiB(pid);

        var sent = new List<(Guid Id, Stopwatch Clock)>();
        var cpuStart = ProcessFootprint.CpuSeconds(pid);
        var peakRss = idleRss;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < containers; i++)
        {
            sent.Add((await plane.SendStopAsync(node, $"er{i}"), Stopwatch.StartNew()));
        }

        var sampling = Task.Run(async () =>
        {
            while (clock.IsRunning)
            {
                peakRss = Math.Max(peakRss, ProcessFootprint.RssKiB(pid));
                await Task.Delay(50);
            }
        });
        foreach (var (id, one) in sent)
        {
            await plane.StoppedAsync(id, TimeSpan.FromMinutes(5));
            samples.Add(one.Elapsed);
        }

        clock.Stop();
        await sampling;
        var stormCpu = (ProcessFootprint.CpuSeconds(pid) - cpuStart) / clock.Elapsed.TotalSeconds;
        var footprint = new ScenarioReport("Footprint of the agent process", $"eventruntime-bench storm --containers {containers}",
            [
                "| state | RSS MiB | CPU (cores) |",
                "|---|---|---|",
                $"| idle (5 s, after one stop) | {idleRss / 1024.0:0.0} | {idleCpu:0.000} |",
                $"| during the {containers}-container storm | {peakRss / 1024.0:0.0} (peak) | {stormCpu:0.00} (mean) |",
            ],
            [], ["CPU counts the agent and the runc calls it made (utime + stime + cutime + cstime), averaged over the interval."]);
        return (clock.Elapsed, samples, footprint);
    }
}
