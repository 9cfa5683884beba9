using System.Diagnostics;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Security;

/// <summary>
/// The demo's broker (Debian's rabbitmq-server, started by infra/rabbitmq/local-broker.sh as demo.sh does)
/// and the documented way to add a node to it: infra/rabbitmq/add-node.sh, run as written, with nothing set.
/// </summary>
public sealed class LocalBrokerProvisioningTests
{
    private static readonly string Scripts = Path.Combine(Repository.Root, "infra", "rabbitmq");

    [Fact]
    public async Task Add_node_provisions_a_node_on_the_demo_broker_as_written()
    {
        var wasRunning = (await RunAsync("bash", Path.Combine(Scripts, "local-broker.sh"), "status")).ExitCode == 0;
        var (started, startOutput) = await RunAsync("bash", Path.Combine(Scripts, "local-broker.sh"), "start");
        Assert.True(started == 0, startOutput);
        var node = "lb-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var (exitCode, output) = await RunAsync("sh", Path.Combine(Scripts, "add-node.sh"), node, "lb-dev-pw");

            Assert.True(exitCode == 0, output);
            Assert.Contains($"node {node}: user node-{node}, queue eventruntime-node-{node} on vhost eventruntime", output);
            var (_, permissions) = await RunAsync("rabbitmqctl", "-q", "list_user_permissions", $"node-{node}", "--no-table-headers");
            Assert.StartsWith($"eventruntime\t^(eventruntime-node-{node}(_fleet)?(_error|_skipped)?|", permissions.Trim());
            var (_, queues) = await RunAsync("rabbitmqctl", "-q", "list_queues", "-p", "eventruntime", "name", "--no-table-headers");
            Assert.Contains($"eventruntime-node-{node}", queues.Split('\n').Select(line => line.Trim()));
        }
        finally
        {
            await RunAsync("rabbitmqctl", "-q", "delete_user", $"node-{node}");
            await RunAsync("rabbitmqctl", "-q", "delete_queue", "-p", "eventruntime", $"eventruntime-node-{node}");
            await RunAsync("rabbitmqctl", "-q", "delete_exchange", "-p", "eventruntime", $"eventruntime-node-{node}");
            if (!wasRunning)
            {
                await RunAsync("bash", Path.Combine(Scripts, "local-broker.sh"), "stop");
            }
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
