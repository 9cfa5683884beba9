using EventRuntime.Contracts;
using EventRuntime.IntegrationTests.Stopping;
using EventRuntime.Node.Bus;
using EventRuntime.Node.Operations;
using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;
using MassTransit;
using RabbitMQ.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EventRuntime.IntegrationTests.Faults;

// The broker stops counting the agent's consumer on its command queue, and the agent's bus goes on calling itself healthy.
[Collection(BrokerCollection.Name)]
public sealed class LostConsumerTests(RabbitMqBroker broker)
{
    private static readonly Dictionary<string, string?> QuickChecks = new()
    {
        ["Intake:ConsumerCheckInterval"] = "00:00:01",
        ["Intake:ConsumerGrace"] = "00:00:03",
    };

    [Fact]
    public async Task A_command_queue_left_without_a_consumer_is_consumed_again_and_its_next_command_stopped()
    {
        await using var scenario = await StopScenario.StartAsync(broker.AmqpUri, settings: QuickChecks);
        await scenario.Sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);
        var queue = NodeQueue.For(scenario.Node);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        await Poll.UntilAsync(async () => await amqp.ConsumersAsync(queue) > 0, TimeSpan.FromSeconds(60), "the agent consuming its queue");

        // The queue forgets its consumer and tells no one: the agent's channel stays open, MassTransit's health stays Ready.
        // (Deleting the queue would not do: the broker then cancels the consumer, and MassTransit consumes again by itself.)
        var forgotten = await broker.CtlAsync("eval", ForgetConsumers(queue));
        Assert.Contains("ok", forgotten, StringComparison.Ordinal);
        await Poll.UntilAsync(async () => await amqp.ConsumersAsync(queue) == 0, TimeSpan.FromSeconds(10), "the broker counting no consumer");
        // Sent while no one consumes: it waits in the queue for the endpoint the agent connects again.
        var commandId = await scenario.StopAsync("web");
        var stopped = await scenario.Plane.StoppedAsync(commandId, TimeSpan.FromSeconds(120));
        Assert.Equal(scenario.Node, stopped.Node);
        Assert.Equal(RuntimeStatus.Stopped, (await scenario.Sandbox.StateAsync("web")).Status);
        var watchdog = scenario.Agent.Services.GetRequiredService<CommandConsumerWatchdog>();
        Assert.Equal(1, watchdog.Reconnects);
        await Poll.UntilAsync(() => watchdog.Problem is null, TimeSpan.FromSeconds(30), "the watchdog seeing the consumer");
        var readiness = scenario.Agent.Services.GetRequiredService<ReadinessChecks>().CommandConsumer();
        Assert.True(readiness.Healthy, readiness.Description);
        Assert.Contains("connected again", readiness.Description, StringComparison.Ordinal);
        Assert.Equal(BusHealthStatus.Healthy, scenario.Agent.Services.GetRequiredService<IBusControl>().CheckHealth().Status);
    }

    [Fact]
    public async Task A_stop_running_when_its_queue_loses_the_consumer_ends_in_exactly_one_outcome()
    {
        await using var scenario = await StopScenario.StartAsync(broker.AmqpUri, settings: QuickChecks);
        await scenario.Sandbox.StartAsync("stubborn", BusyboxRootfs.IgnoresTerm);
        var queue = NodeQueue.For(scenario.Node);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        await Poll.UntilAsync(async () => await amqp.ConsumersAsync(queue) > 0, TimeSpan.FromSeconds(60), "the agent consuming its queue");

        // Its grace period outlasts the check's grace by far, rabbitmqctl's seconds under load included: the endpoint is
        // replaced while the stop holds its delivery.
        var commandId = await scenario.StopAsync("stubborn", timeoutSeconds: 20);
        await scenario.Plane.StoppingAsync(commandId, TimeSpan.FromSeconds(60));
        await broker.CtlAsync("eval", ForgetConsumers(queue));
        var watchdog = scenario.Agent.Services.GetRequiredService<CommandConsumerWatchdog>();
        await Poll.UntilAsync(() => watchdog.Reconnects > 0, TimeSpan.FromSeconds(60), "the agent connecting its endpoint again");

        await scenario.Plane.StoppedAsync(commandId, TimeSpan.FromSeconds(120));
        await Poll.UntilAsync(async () => await amqp.ConsumersAsync(queue) > 0, TimeSpan.FromSeconds(60), "a consumer on the queue again");
        await Task.Delay(TimeSpan.FromSeconds(3)); // room for a second outcome to show up
        Assert.Single(scenario.Plane.Outcomes.OfType<ContainerStopped>(), o => o.CommandId == commandId);
        Assert.Empty(scenario.Plane.Outcomes.OfType<ContainerStopFailed>());
        Assert.Empty(await amqp.DrainFaultsAsync(queue + "_error"));
        Assert.Equal(RuntimeStatus.Stopped, (await scenario.Sandbox.StateAsync("stubborn")).Status);
    }

    [Fact]
    public async Task A_queue_whose_counted_consumer_takes_nothing_is_connected_again_and_its_commands_stopped()
    {
        await using var scenario = await StopScenario.StartAsync(broker.AmqpUri, settings: QuickChecks);
        await scenario.Sandbox.StartAsync("first", BusyboxRootfs.TrapsTerm);
        await scenario.Sandbox.StartAsync("second", BusyboxRootfs.TrapsTerm);
        var queue = NodeQueue.For(scenario.Node);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        await Poll.UntilAsync(async () => await amqp.ConsumersAsync(queue) > 0, TimeSpan.FromSeconds(60), "the agent consuming its queue");

        // The agent's consumer forgotten, and in its place one that the broker counts and that takes one command and no more:
        // as a quorum queue went on counting the consumer of a channel on its killed node.
        await broker.CtlAsync("eval", ForgetConsumers(queue));
        var holding = await amqp.HoldOneAsync(queue);
        var held = await scenario.StopAsync("first");
        var waiting = await scenario.StopAsync("second");
        var watchdog = scenario.Agent.Services.GetRequiredService<CommandConsumerWatchdog>();
        await scenario.Plane.StoppedAsync(waiting, TimeSpan.FromSeconds(120));
        Assert.Equal(1, watchdog.Reconnects);
        Assert.Equal(2u, await amqp.ConsumersAsync(queue)); // the agent's new consumer, beside the holding one

        // Let go of the first command: it goes back to the queue, and the agent's new consumer takes it.
        await holding.CloseAsync();
        await scenario.Plane.StoppedAsync(held, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(3)); // room for a second outcome to show up
        Assert.Equal(2, scenario.Plane.Outcomes.OfType<ContainerStopped>().Count());
        Assert.Equal(1, watchdog.Reconnects);
    }

    [Fact]
    public async Task A_broker_that_drops_every_connection_under_a_running_stop_gets_it_answered_once_and_frees_its_slot()
    {
        await using var scenario = await StopScenario.StartAsync(broker.AmqpUri, settings: QuickChecks);
        await scenario.Sandbox.StartAsync("stubborn", BusyboxRootfs.IgnoresTerm);
        var intake = scenario.Agent.Services.GetRequiredService<CommandIntake>();
        var commandId = await scenario.StopAsync("stubborn", timeoutSeconds: 10);
        await scenario.Plane.StoppingAsync(commandId, TimeSpan.FromSeconds(60));
        Assert.Equal(1, intake.DeliveriesHeld);

        // Every connection dropped by the broker while the stop waits out its grace: its delivery can no longer be settled,
        // and the broker puts the command back for the agent's next consumer.
        await broker.CtlAsync("close_all_connections", "test");

        await scenario.Plane.StoppedAsync(commandId, TimeSpan.FromSeconds(120));
        await Poll.UntilAsync(() => intake.DeliveriesHeld == 0 && intake.DeliveriesHeldOnClosedChannels == 0, TimeSpan.FromSeconds(60), "every delivery settled");
        await Task.Delay(TimeSpan.FromSeconds(3)); // room for a second outcome to show up
        Assert.Single(scenario.Plane.Outcomes.OfType<ContainerStopped>(), o => o.CommandId == commandId);
        Assert.Equal(RuntimeStatus.Stopped, (await scenario.Sandbox.StateAsync("stubborn")).Status);
    }

    /// <summary>
    /// An Erlang expression for rabbitmqctl eval: the classic queue's process drops each of its consumers as a basic.cancel
    /// from the channel would, without an answer to the channel (RabbitMQ 3.10's rabbit_amqqueue_process).
    /// </summary>
    private static string ForgetConsumers(string queue) =>
        $"{{ok, Q}} = rabbit_amqqueue:lookup(rabbit_misc:r(<<\"/\">>, queue, <<\"{queue}\">>)), " +
        "[gen_server2:call(amqqueue:get_pid(Q), {basic_cancel, element(1, C), element(2, C), undefined, <<\"test\">>}, infinity) " +
        "|| C <- rabbit_amqqueue:consumers(Q)].";
}
