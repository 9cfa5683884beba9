using System.Text.Json;
using EventRuntime.Client.Tests.Support;
using EventRuntime.Contracts;
using EventRuntime.TestSupport;

namespace EventRuntime.Client.Tests.Cli;

// `ert status`, and the expiry `ert stop` gives its commands, as processes against RabbitMQ, an agent and real runc.
[Collection(BrokerCollection.Name)]
public sealed class StatusAndExpiryTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task Ert_status_tells_what_became_of_a_stopped_command_and_that_another_id_is_unknown()
    {
        await using var node = await TestNode.StartAsync(broker);
        var web = node.Id("web");
        await node.StartContainersAsync(web);
        var stop = await node.ErtAsync("stop", web, "--node", node.Name, "--output", "json");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        using var stopped = JsonDocument.Parse(stop.Stdout);
        var commandId = stopped.RootElement[0].GetProperty("commandId").GetString()!;

        var known = await node.ErtAsync("status", commandId, "--node", node.Name, "--output", "json");
        var unknown = await node.ErtAsync("status", Guid.NewGuid().ToString(), "--node", node.Name);

        Assert.True(known.ExitCode == 0, known.ToString());
        using var status = JsonDocument.Parse(known.Stdout);
        Assert.Equal(CommandStatus.Stopped, status.RootElement.GetProperty("status").GetString());
        Assert.Equal(web, status.RootElement.GetProperty("containerId").GetString());
        Assert.True(unknown.ExitCode == 0, unknown.ToString());
        Assert.Equal(["COMMAND", "NODE", "CONTAINER", "STATUS", "CODE", "REASON"], unknown.StdoutLines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(CommandStatus.Unknown, unknown.StdoutLines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[3]);
    }

    [Fact]
    public async Task A_stop_ert_gave_up_waiting_for_is_not_carried_out_when_the_agent_comes_back()
    {
        await using var sandbox = new RuncSandbox();
        var node = "late-" + Guid.NewGuid().ToString("N")[..8];
        var web = $"web-{node[5..]}";
        await sandbox.StartAsync(web, BusyboxRootfs.TrapsTerm);
        await NodeQueueProvisioning.DeclareAsync(broker.AmqpUri, node);

        var run = await Ert.RunAsync(["stop", web, "--node", node, "--wait-timeout", "3", "--rabbitmq", broker.AmqpUri.ToString()]);
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("no-outcome", run.Stdout);
        await using var plane = await ControlPlane.StartAsync(broker.AmqpUri);
        await using var agent = await NodeAgent.StartAsync(node, sandbox, broker.AmqpUri);
        var commandId = Guid.Parse(run.StderrLines[0].Split(' ')[^1]);

        var expired = await plane.FailedAsync(commandId, TimeSpan.FromSeconds(60));
        Assert.Equal(StopFailureCode.Expired, expired.Code);
        Assert.False((await sandbox.StateAsync(web)).IsStopped);
    }
}
