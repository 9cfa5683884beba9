using System.Globalization;
using EventRuntime.Client;
using EventRuntime.Contracts;
using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Stopping;

/// <summary>
/// What a bus's decoupling in time must not turn into: stale commands carried out late, a recreated container
/// stopped in the place of the one meant, a signal before the load balancer heard. Real broker, runc and mounts;
/// commands wait in the node's queue while its agent is down, as they would on a fleet.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class FleetSafetyTests(RabbitMqBroker broker)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Commands_that_expired_while_the_agent_was_down_are_answered_Expired_and_touch_nothing_while_a_fresh_one_is_carried_out()
    {
        await using var sandbox = new RuncSandbox();
        foreach (var id in new[] { "ex-expires-at", "ex-sent-time", "ex-expiration", "ex-fresh" })
        {
            await sandbox.StartAsync(id, BusyboxRootfs.TrapsTerm);
        }

        var node = "ex-" + Guid.NewGuid().ToString("N")[..8];
        await NodeQueueProvisioning.DeclareAsync(broker.AmqpUri, node);
        await using var plane = await ControlPlane.StartAsync(broker.AmqpUri);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        var hourAgo = DateTime.UtcNow.AddHours(-1).ToString("O", CultureInfo.InvariantCulture);
        var expiresAt = new StopContainer { CommandId = Guid.NewGuid(), Node = node, ContainerId = "ex-expires-at", TimeoutSeconds = 5, ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) };
        await plane.SendAsync(node, expiresAt);
        var sentTime = await PublishEnvelopeAsync(amqp, node, "ex-sent-time", $"\"sentTime\": \"{hourAgo}\"");
        var expiration = await PublishEnvelopeAsync(amqp, node, "ex-expiration", $"\"expirationTime\": \"{hourAgo}\"");
        var fresh = await PublishEnvelopeAsync(amqp, node, "ex-fresh", $"\"sentTime\": \"{DateTime.UtcNow:O}\"");

        await using var agent = await NodeAgent.StartAsync(node, sandbox, broker.AmqpUri);

        foreach (var (commandId, container) in new[] { (expiresAt.CommandId, "ex-expires-at"), (sentTime, "ex-sent-time"), (expiration, "ex-expiration") })
        {
            var failed = await plane.FailedAsync(commandId, Settle);
            Assert.Equal(StopFailureCode.Expired, failed.Code);
            Assert.Matches($"^command {commandId} for container {container} expired at \\d{{4}}-\\d\\d-\\d\\dT[0-9:.]+Z, received at [0-9T:.-]+Z$", failed.Reason);
            Assert.Equal(RuntimeStatus.Running, (await sandbox.StateAsync(container)).Status);
        }

        await plane.StoppedAsync(fresh, Settle);
        Assert.Equal(RuntimeStatus.Stopped, (await sandbox.StateAsync("ex-fresh")).Status);
    }

    [Fact]
    public async Task A_stop_the_client_gave_up_waiting_for_is_not_carried_out_when_the_agent_comes_back()
    {
        await using var sandbox = new RuncSandbox();
        await sandbox.StartAsync("ex-given-up", BusyboxRootfs.TrapsTerm);
        var node = "ex-" + Guid.NewGuid().ToString("N")[..8];
        await NodeQueueProvisioning.DeclareAsync(broker.AmqpUri, node);
        await using var plane = await ControlPlane.StartAsync(broker.AmqpUri);
        await using var client = new EventRuntimeClient(new EventRuntimeClientOptions { RabbitMqUrl = broker.AmqpUri });

        var gaveUp = await Assert.ThrowsAsync<StopOutcomeTimeoutException>(() =>
            client.StopAsync(node, "ex-given-up", TimeSpan.FromSeconds(10), new StopCommandOptions { OutcomeWait = TimeSpan.FromSeconds(3) }));
        await using var agent = await NodeAgent.StartAsync(node, sandbox, broker.AmqpUri);

        var failed = await plane.FailedAsync(gaveUp.CommandId, Settle);
        Assert.Equal(StopFailureCode.Expired, failed.Code);
        Assert.Equal(RuntimeStatus.Running, (await sandbox.StateAsync("ex-given-up")).Status);
    }

    [Fact]
    public async Task A_container_recreated_while_its_stop_waited_is_answered_InstanceMismatch_and_keeps_running_and_its_own_instance_id_stops_it()
    {
        await using var sandbox = new RuncSandbox();
        var before = await sandbox.StartAsync("ig-web", BusyboxRootfs.TrapsTerm);
        var node = "ig-" + Guid.NewGuid().ToString("N")[..8];
        await NodeQueueProvisioning.DeclareAsync(broker.AmqpUri, node);
        await using var plane = await ControlPlane.StartAsync(broker.AmqpUri);
        var meant = new StopContainer { CommandId = Guid.NewGuid(), Node = node, ContainerId = "ig-web", TimeoutSeconds = 5, InstanceId = before.InstanceId };
        await plane.SendAsync(node, meant);
        await sandbox.Creator.DeleteAsync("ig-web", CancellationToken.None);
        var after = await sandbox.StartAsync("ig-web", BusyboxRootfs.TrapsTerm);
        Assert.NotNull(before.InstanceId);
        Assert.NotEqual(before.InstanceId, after.InstanceId);

        await using var agent = await NodeAgent.StartAsync(node, sandbox, broker.AmqpUri);

        var refused = await plane.FailedAsync(meant.CommandId, Settle);
        Assert.Equal(StopFailureCode.InstanceMismatch, refused.Code);
        Assert.Equal($"cannot stop container ig-web: the command names instance {before.InstanceId}, but the container is instance {after.InstanceId} (it was created again since)", refused.Reason);
        Assert.Equal(after.InstanceId, refused.InstanceId);
        Assert.Equal(RuntimeStatus.Running, (await sandbox.StateAsync("ig-web")).Status);

        var right = new StopContainer { CommandId = Guid.NewGuid(), Node = node, ContainerId = "ig-web", TimeoutSeconds = 5, InstanceId = after.InstanceId };
        await plane.SendAsync(node, right);
        var stopped = await plane.StoppedAsync(right.CommandId, Settle);
        Assert.Equal(after.InstanceId, stopped.InstanceId);
        Assert.Equal(RuntimeStatus.Stopped, (await sandbox.StateAsync("ig-web")).Status);
    }

    [Fact]
    public async Task ContainerStopping_reaches_a_subscriber_at_least_drainSeconds_before_the_container_s_TERM_handler_runs()
    {
        const int drainSeconds = 2;
        await using var sandbox = new RuncSandbox();
        // The handler notes the kernel's uptime, the clock the host reads too, where the test can read it afterwards.
        var record = await sandbox.StartAsync("dr-web", ["/bin/sh", "-c", "trap 'read up rest < /proc/uptime; echo $up > /term-at; exit 0' TERM; while true; do sleep 1 & wait $!; done"]);
        await SignalHandlers.WaitUntilCaughtAsync((await sandbox.StateAsync("dr-web")).Pid, SignalHandlers.Term, TimeSpan.FromSeconds(10));
        var node = "dr-" + Guid.NewGuid().ToString("N")[..8];
        await using var agent = await NodeAgent.StartAsync(node, sandbox, broker.AmqpUri);
        await using var plane = await ControlPlane.StartAsync(broker.AmqpUri);
        var command = new StopContainer { CommandId = Guid.NewGuid(), Node = node, ContainerId = "dr-web", TimeoutSeconds = 10, DrainSeconds = drainSeconds };

        await plane.SendAsync(node, command);

        var (stopping, arrivedAt) = await plane.StoppingAsync(command.CommandId, Settle);
        var stopped = await plane.StoppedAsync(command.CommandId, Settle);
        Assert.Equal(("dr-web", record.InstanceId, drainSeconds), (stopping.ContainerId, stopping.InstanceId, stopping.DrainSeconds));
        Assert.True(stopping.GraceEndsAt > stopping.SignalAt, $"{stopping.GraceEndsAt:O} <= {stopping.SignalAt:O}");
        var termAt = Uptime.Parse(await File.ReadAllTextAsync(Path.Combine(sandbox.Paths.Storage, "dr-web", "upper", "term-at")));
        // /proc/uptime has 10 ms steps: two readings can differ by one step more than the time between them.
        Assert.True(termAt - arrivedAt >= drainSeconds - 0.01, $"TERM handler ran {termAt - arrivedAt:0.000} s after ContainerStopping arrived; the drain is {drainSeconds} s");
        Assert.Equal(command.CommandId, stopped.CommandId);
    }

    [Fact]
    public async Task A_node_answers_what_became_of_a_command_stopping_stopped_failed_or_unknown()
    {
        await using var sandbox = new RuncSandbox();
        await sandbox.StartAsync("st-slow", BusyboxRootfs.IgnoresTerm);
        await sandbox.StartAsync("st-web", BusyboxRootfs.TrapsTerm);
        var node = "st-" + Guid.NewGuid().ToString("N")[..8];
        // The slow stop is still running when the test ends: its agent must not wait for it long.
        await using var agent = await NodeAgent.StartAsync(node, sandbox, broker.AmqpUri, new Dictionary<string, string?> { ["Node:ShutdownTimeout"] = "00:00:05" });
        await using var plane = await ControlPlane.StartAsync(broker.AmqpUri);
        await using var client = new EventRuntimeClient(new EventRuntimeClientOptions { RabbitMqUrl = broker.AmqpUri });
        var slow = await plane.SendStopAsync(node, "st-slow", timeoutSeconds: 120);
        var web = await plane.SendStopAsync(node, "st-web", timeoutSeconds: 5);
        var ghost = await plane.SendStopAsync(node, "st-ghost", timeoutSeconds: 5);
        await plane.StoppedAsync(web, Settle);
        await plane.FailedAsync(ghost, Settle);

        var stopping = await client.GetStatusAsync(node, slow, Settle);
        var stopped = await client.GetStatusAsync(node, web, Settle);
        var failed = await client.GetStatusAsync(node, ghost, Settle);
        var unknown = await client.GetStatusAsync(node, Guid.NewGuid(), Settle);

        // st-slow ignores TERM and has 120 s of grace, far longer than the questions take.
        Assert.Equal((CommandStatus.Stopping, node, slow), (stopping.Status, stopping.Node, stopping.CommandId));
        Assert.Equal((CommandStatus.Stopped, "st-web", sandbox.Store.Get("st-web").InstanceId), (stopped.Status, stopped.ContainerId, stopped.InstanceId));
        Assert.NotNull(stopped.OutcomeAt);
        Assert.Equal((CommandStatus.Failed, StopFailureCode.NotFound), (failed.Status, failed.Code));
        Assert.StartsWith("failed to find container st-ghost", failed.Reason);
        Assert.Equal(CommandStatus.Unknown, unknown.Status);
        Assert.Null(unknown.ContainerId);
        Assert.Equal(RuntimeStatus.Running, (await sandbox.StateAsync("st-slow")).Status);
    }

    private static async Task<Guid> PublishEnvelopeAsync(RawAmqp amqp, string node, string containerId, string envelopeField)
    {
        var commandId = Guid.NewGuid();
        await amqp.PublishAsync(NodeQueue.For(node), $$"""
            {
              "messageId": "{{Guid.NewGuid()}}",
              {{envelopeField}},
              "messageType": ["urn:message:EventRuntime.Contracts:StopContainer"],
              "message": { "commandId": "{{commandId}}", "node": "{{node}}", "containerId": "{{containerId}}", "timeoutSeconds": 5 }
            }
            """, "application/vnd.masstransit+json");
        return commandId;
    }
}
