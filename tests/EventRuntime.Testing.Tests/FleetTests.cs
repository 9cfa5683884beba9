using EventRuntime.Client;

namespace EventRuntime.Testing.Tests;

// The fleet questions and the fleet stop across the kit's two nodes, and a third started and stopped in a test.
[Collection(FleetCollection.Name)]
public sealed class FleetTests(FleetFixture fixture)
{
    [Fact]
    public async Task The_inventory_lists_the_matching_containers_of_both_nodes()
    {
        fixture.Fleet["kit-alpha"].Run("inv-web", labels: "app=inv,tier=web");
        fixture.Fleet["kit-beta"].Run("inv-web", labels: "app=inv,tier=web");
        fixture.Fleet["kit-beta"].Run("inv-db", labels: "app=inv,tier=db");

        var inventory = await fixture.Fleet.Client.ListContainersAsync(new FleetQuery { Nodes = ["kit-alpha", "kit-beta"], Selector = "app=inv,tier!=db" });

        Assert.True(inventory.IsComplete);
        Assert.Equal([("kit-alpha", "inv-web"), ("kit-beta", "inv-web")], inventory.Containers.Select(c => (c.Node, c.Container.Id)));
    }

    [Fact]
    public async Task A_fleet_stop_stops_every_match_and_reports_a_node_whose_agent_is_down()
    {
        await using var gamma = await SimulatedNode.StartAsync("kit-gamma", fixture.Fleet.Broker.AmqpUri);
        fixture.Fleet["kit-alpha"].Run("fs-1", labels: "app=fs");
        fixture.Fleet["kit-beta"].Run("fs-2", SimulatedBehaviour.IgnoresTerm, labels: "app=fs");
        gamma.Run("fs-3", labels: "app=fs");
        await gamma.StopAgentAsync();

        // kit-gamma never answers, so the inventory takes its whole wait; the live agents must answer within it on a busy machine.
        var report = await fixture.Fleet.Client.StopFleetAsync(new FleetStopRequest
        {
            Targets = new FleetQuery { Nodes = ["kit-alpha", "kit-beta", "kit-gamma"], Selector = "app=fs", Wait = TimeSpan.FromSeconds(20) },
            Timeout = TimeSpan.FromSeconds(1),
            MaxConcurrency = FleetLimit.Percent(50),
        });

        Assert.Equal([("kit-alpha", "fs-1", "stopped"), ("kit-beta", "fs-2", "stopped")], report.Results.Select(r => (r.Request.Node, r.Request.ContainerId, r.OutcomeName)));
        Assert.Equal(["kit-gamma"], report.SilentNodes);
        Assert.False(report.AllStopped);
        Assert.True(gamma.IsRunning("fs-3"));
    }
}
