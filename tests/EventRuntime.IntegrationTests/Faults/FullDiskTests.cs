using System.Diagnostics;
using System.Net;
using System.Text.Json;
using EventRuntime.Contracts;
using EventRuntime.IntegrationTests.Stopping;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Faults;

/// <summary>The node's state directory on a small tmpfs, filled up while the agent runs: real runc, real mounts, the real broker.</summary>
[Collection(BrokerCollection.Name)]
public sealed class FullDiskTests(RabbitMqBroker broker)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task On_a_full_state_directory_every_command_is_answered_NotRecorded_the_container_still_stops_and_readiness_says_why()
    {
        await using var sandbox = new RuncSandbox();
        await MountTmpfsAsync(sandbox.Paths.StateDirectory, "48m");
        _ = new ContainerStore(sandbox.Paths.StateDirectory); // lays its directory out again, on the tmpfs
        await sandbox.StartAsync("df-running", BusyboxRootfs.TrapsTerm);
        await sandbox.StartAsync("df-after", BusyboxRootfs.TrapsTerm);
        var port = LoopbackPort.Free();
        var node = "df-" + Guid.NewGuid().ToString("N")[..8];
        await using var agent = await NodeAgent.StartAsync(node, sandbox, broker.AmqpUri,
            new Dictionary<string, string?> { ["Health:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await using var plane = await ControlPlane.StartAsync(broker.AmqpUri);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(20) };
        await ReadinessProbe.WaitForStatusAsync(http, HttpStatusCode.OK, Settle);

        var filler = Path.Combine(sandbox.Paths.StateDirectory, "filler");
        FillUp(filler);
        // One at a time: a write that the disk refused leaves the pages it did get to the database's log, and
        // the next write may fit into them (and be recorded) — the first one after the fill cannot.
        var running = await plane.SendStopAsync(node, "df-running", timeoutSeconds: 5);
        var runningOutcome = await plane.FailedAsync(running, Settle);
        Assert.Equal(StopFailureCode.NotRecorded, runningOutcome.Code);
        Assert.StartsWith($"failed to record the outcome of command {running} for container df-running: ", runningOutcome.Reason);
        Assert.Contains("database or disk is full", runningOutcome.Reason);
        Assert.Contains("failed to write state of container df-running", runningOutcome.Reason);
        Assert.EndsWith("a repeat of the command would be carried out again", runningOutcome.Reason);
        Assert.Equal(RuntimeStatus.Stopped, (await sandbox.StateAsync("df-running")).Status);
        var ghost = await plane.SendStopAsync(node, "df-ghost", timeoutSeconds: 5);
        var ghostOutcome = await plane.FailedAsync(ghost, Settle);
        Assert.Contains(ghostOutcome.Code, new[] { StopFailureCode.NotRecorded, StopFailureCode.NotFound });
        Assert.Contains("failed to find container df-ghost", ghostOutcome.Reason);
        var down = await ReadinessProbe.WaitForStatusAsync(http, HttpStatusCode.ServiceUnavailable, Settle);
        var stateDirectory = down.GetProperty("checks").GetProperty("state-directory");
        Assert.Equal("Unhealthy", stateDirectory.GetProperty("status").GetString());
        Assert.Contains("No space left on device", stateDirectory.GetProperty("description").GetString());
        // Answered, so neither parked nor skipped.
        Assert.Empty(await amqp.DrainAsync(NodeQueue.For(node) + "_error"));
        Assert.Empty(await amqp.DrainAsync(NodeQueue.For(node) + "_skipped"));
        Assert.Equal(2, plane.Outcomes.Count);

        File.Delete(filler);
        await ReadinessProbe.WaitForStatusAsync(http, HttpStatusCode.OK, Settle);
        var after = await plane.SendStopAsync(node, "df-after", timeoutSeconds: 5);
        await plane.StoppedAsync(after, Settle);
    }

    private static async Task MountTmpfsAsync(string directory, string size)
    {
        Directory.CreateDirectory(directory);
        using var mount = Process.Start(new ProcessStartInfo("mount", ["-t", "tmpfs", "-o", $"size={size}", "tmpfs", directory]) { RedirectStandardError = true })!;
        var error = await mount.StandardError.ReadToEndAsync();
        await mount.WaitForExitAsync();
        Assert.True(mount.ExitCode == 0, $"mount tmpfs on {directory}: {error}");
    }

    // Writes until the file system refuses even one more page.
    private static void FillUp(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        foreach (var chunk in new[] { 1 << 20, 4096 })
        {
            var bytes = new byte[chunk];
            try
            {
                while (true)
                {
                    stream.Write(bytes);
                }
            }
            catch (IOException)
            {
            }
        }
    }
}
