using EventRuntime.Contracts;
using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Stopping;

[Collection(BrokerCollection.Name)]
public sealed class TwoNodeTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task Two_agents_on_one_broker_each_stop_only_their_own_containers()
    {
        await using var plane = await ControlPlane.StartAsync(broker.AmqpUri);
        await using var a = await StopScenario.StartAsync(broker, sharedPlane: plane);
        await using var b = await StopScenario.StartAsync(broker, sharedPlane: plane);
        // The same container id on both nodes: only the addressed node may touch its own.
        await a.Sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);
        await b.Sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);

        var stopped = await plane.StoppedAsync(await plane.SendStopAsync(a.Node, "web"));

        Assert.Equal(a.Node, stopped.Node);
        Assert.Equal(RuntimeStatus.Stopped, (await a.Sandbox.StateAsync("web")).Status);
        Assert.Equal(RuntimeStatus.Running, (await b.Sandbox.StateAsync("web")).Status);
        Assert.Empty(b.Runtime.Calls());

        var second = await plane.StoppedAsync(await plane.SendStopAsync(b.Node, "web"));
        Assert.Equal(b.Node, second.Node);
        Assert.Equal(RuntimeStatus.Stopped, (await b.Sandbox.StateAsync("web")).Status);
        Assert.Equal(2, plane.Outcomes.Count);
    }

    [Fact]
    public async Task A_published_StopContainer_reaches_no_node_queue()
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        await scenario.Sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);
        var published = Guid.NewGuid();

        // Commands are sent to a node's queue; one published to the type's exchange must not fan out to every node.
        await scenario.Plane.PublishAsync(new StopContainer { CommandId = published, Node = scenario.Node, ContainerId = "web", TimeoutSeconds = 1 });
        var sent = await scenario.StopAsync("web");
        await scenario.Plane.StoppedAsync(sent);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Single(scenario.Plane.Outcomes);
        await Assert.ThrowsAsync<TimeoutException>(() => scenario.Plane.OutcomeOfAsync(published, TimeSpan.FromMilliseconds(200)));
    }
}
