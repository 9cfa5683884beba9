using System.Text.Json;
using EventRuntime.Client;
using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Security;

/// <summary>infra/rabbitmq/add-node.sh, the admin step that gives a new node its user and queue.</summary>
[Collection(SecuredBrokerCollection.Name)]
public sealed class NodeProvisioningTests(SecuredRabbitMqBroker broker)
{
    [Fact]
    public async Task Add_node_grants_a_new_node_exactly_the_permissions_the_definitions_give_a_node()
    {
        var (exitCode, output) = await broker.AddNodeAsync("gamma.one", "gamma-dev-pw");
        Assert.True(exitCode == 0, output);

        var granted = (await broker.RabbitMqCtlAsync("-q", "list_user_permissions", "node-gamma.one", "--no-table-headers")).Trim().Split('\t');
        var alpha = JsonDocument.Parse(await File.ReadAllTextAsync(SecuredRabbitMqBroker.DefinitionsPath)).RootElement
            .GetProperty("permissions").EnumerateArray().Single(p => p.GetProperty("user").GetString() == "node-alpha");
        string[] expected = ["eventruntime", .. new[] { "configure", "write", "read" }.Select(kind => alpha.GetProperty(kind).GetString()!.Replace("alpha", @"gamma\.one"))];

        Assert.Equal(expected, granted);
    }

    // Node rp2 may read eventruntime-node-rp2_error, its own error queue; a node named rp2_error would have it as its command queue.
    [Theory]
    [InlineData("rp2_error")]
    [InlineData("rp2_skipped")]
    [InlineData("rp2_fleet")]
    public async Task Add_node_refuses_a_name_that_is_another_node_s_error_or_skipped_queue(string node)
    {
        var (exitCode, output) = await broker.AddNodeAsync(node, "x-dev-pw");

        Assert.Equal(2, exitCode);
        Assert.Contains($"node name \"{node}\" must not end in _error, _skipped or _fleet", output, StringComparison.Ordinal);
        var users = await broker.RabbitMqCtlAsync("-q", "list_users", "--no-table-headers");
        Assert.DoesNotContain($"node-{node}", users, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_for_a_provisioned_node_waits_in_its_queue_and_one_for_an_unknown_node_is_an_error()
    {
        Assert.Equal(0, (await broker.AddNodeAsync("delta", "delta-dev-pw")).ExitCode);
        await using var client = new EventRuntimeClient(new EventRuntimeClientOptions { RabbitMqUrl = broker.UriFor(SecuredRabbitMqBroker.ControlPlane) });

        await client.SendStopAsync("delta", "lp-later", TimeSpan.FromSeconds(1));
        var unknown = await Assert.ThrowsAsync<InvalidOperationException>(() => client.SendStopAsync("nowhere", "lp-lost", TimeSpan.FromSeconds(1)));

        Assert.Contains("no command queue for node nowhere", unknown.Message);
        var queued = await broker.RabbitMqCtlAsync("-q", "list_queues", "-p", SecuredRabbitMqBroker.VirtualHost, "name", "messages", "--no-table-headers");
        Assert.Contains("eventruntime-node-delta\t1", queued);
    }

    [Fact]
    public async Task A_running_agent_that_has_stopped_a_container_has_its_command_queue_on_the_broker_and_a_fleet_queue_that_goes_with_it()
    {
        var node = "one-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(0, (await broker.AddNodeAsync(node, SecuredRabbitMqBroker.NodeUser(node).Password)).ExitCode);
        await using var sandbox = new RuncSandbox();
        await sandbox.StartAsync("lp-one-queue", BusyboxRootfs.TrapsTerm);
        await using var agent = await NodeAgent.StartAsync(node, sandbox, broker.UriFor(SecuredRabbitMqBroker.NodeUser(node)));
        await using var client = new EventRuntimeClient(new EventRuntimeClientOptions { RabbitMqUrl = broker.UriFor(SecuredRabbitMqBroker.ControlPlane) });

        var outcome = await client.StopAsync(node, "lp-one-queue", TimeSpan.FromSeconds(10));

        Assert.True(outcome.IsStopped, outcome.Event.Reason);
        Assert.Equal(RuntimeStatus.Stopped, (await sandbox.StateAsync("lp-one-queue")).Status);
        var queues = (await broker.RabbitMqCtlAsync("-q", "list_queues", "-p", SecuredRabbitMqBroker.VirtualHost, "name", "arguments", "--no-table-headers"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.Contains(node, StringComparison.Ordinal))
            .Select(line => line.Split('\t', 2))
            .ToDictionary(columns => columns[0], columns => columns.Length > 1 ? columns[1] : "");
        Assert.Equal([$"eventruntime-node-{node}", $"eventruntime-node-{node}_fleet"], queues.Keys.Order(StringComparer.Ordinal));
        // The command queue keeps commands for an absent agent; the fleet questions' queue expires with it, and so do the questions in it.
        Assert.Equal("[]", queues[$"eventruntime-node-{node}"]);
        Assert.Contains("x-expires", queues[$"eventruntime-node-{node}_fleet"], StringComparison.Ordinal);
        Assert.Contains("x-message-ttl", queues[$"eventruntime-node-{node}_fleet"], StringComparison.Ordinal);
    }
}
