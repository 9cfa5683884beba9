using EventRuntime.Client.Tests.Support;
using EventRuntime.Contracts;
using EventRuntime.TestSupport;

namespace EventRuntime.Client.Tests.Library;

// Outcome subscriptions and node heartbeats on the real broker.
[Collection(BrokerCollection.Name)]
public sealed class SubscriptionTests(RabbitMqBroker broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Subscribers_get_the_outcomes_their_filter_matches_and_no_others()
    {
        await using var node = await TestNode.StartAsync(broker);
        var (a, b, ghost) = (node.Id("a"), node.Id("b"), node.Id("ghost"));
        await node.StartContainersAsync(a, b);
        await using var client = node.Client();
        using var onlyB = client.Subscribe(new OutcomeFilter(Node: node.Name, ContainerId: b));
        using var onlyFailures = client.Subscribe(new OutcomeFilter(Node: node.Name, Kind: OutcomeKind.Failed));
        using var ofThisNode = client.Subscribe(new OutcomeFilter(Node: node.Name));
        using var elsewhere = client.Subscribe(new OutcomeFilter(Node: "elsewhere"));
        using var cancel = new CancellationTokenSource(Patience);

        await client.StopManyAsync([.. new[] { a, b, ghost }.Select(id => new StopRequest(node.Name, id, TimeSpan.FromSeconds(10)))], cancellationToken: cancel.Token);
        var all = await TakeAsync(ofThisNode, 3, cancel.Token);

        Assert.Equal([a, b, ghost], all.Select(e => e.ContainerId).Order());
        Assert.Equal(b, (await TakeAsync(onlyB, 1, cancel.Token)).Single().ContainerId);
        var failure = (await TakeAsync(onlyFailures, 1, cancel.Token)).Single();
        Assert.Equal((ghost, StopFailureCode.NotFound), (failure.ContainerId, failure.Code));
        // Everything there is for this node has arrived; nothing more is queued for the other subscriptions.
        onlyB.Dispose();
        onlyFailures.Dispose();
        elsewhere.Dispose();
        Assert.Empty(await TakeAsync(onlyB, 10, cancel.Token));
        Assert.Empty(await TakeAsync(onlyFailures, 10, cancel.Token));
        Assert.Empty(await TakeAsync(elsewhere, 10, cancel.Token));
    }

    [Fact]
    public async Task ReadOutcomesAsync_streams_until_the_client_is_disposed()
    {
        await using var node = await TestNode.StartAsync(broker);
        var web = node.Id("web");
        await node.StartContainersAsync(web);
        var client = node.Client();
        await client.ConnectAsync();
        var read = new List<OutcomeEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var outcome in client.ReadOutcomesAsync(new OutcomeFilter(Node: node.Name)))
            {
                lock (read)
                {
                    read.Add(outcome);
                }
            }
        });

        await Task.Delay(200);
        var stopped = await client.StopAsync(node.Name, web, TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => { lock (read) { return read.Count == 1; } });
        await client.DisposeAsync();
        await reading.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(stopped.Event, Assert.Single(read));
    }

    [Fact]
    public async Task ListNodesAsync_hears_each_agent_with_its_version_and_start_time()
    {
        await using var node = await TestNode.StartAsync(broker);
        await using var client = node.Client();

        var nodes = await client.ListNodesAsync(TimeSpan.FromSeconds(2.5));

        var heartbeat = Assert.Single(nodes, n => n.Node == node.Name);
        Assert.Equal(Node.Presence.AgentVersion.Current, heartbeat.Version);
        Assert.Equal(0, heartbeat.InFlightStops);
        Assert.InRange(heartbeat.StartedAt, DateTimeOffset.UtcNow - TimeSpan.FromMinutes(1), heartbeat.SentAt);
    }

    [Fact]
    public async Task An_agent_announces_itself_when_it_starts_not_only_when_its_interval_is_over()
    {
        await using var sandbox = new RuncSandbox();
        await using var client = new EventRuntimeClient(new EventRuntimeClientOptions { RabbitMqUrl = broker.AmqpUri });
        var name = "node-" + Guid.NewGuid().ToString("N")[..8];
        await client.ConnectAsync();

        var listening = client.ListNodesAsync(TimeSpan.FromSeconds(6));
        await Task.Delay(500);
        await using var agent = await NodeAgent.StartAsync(name, sandbox, broker.AmqpUri, new Dictionary<string, string?> { ["Node:HeartbeatInterval"] = "01:00:00" });
        var nodes = await listening;

        Assert.Contains(nodes, n => n.Node == name);
    }

    private static async Task<IReadOnlyList<OutcomeEvent>> TakeAsync(OutcomeSubscription subscription, int count, CancellationToken cancellationToken)
    {
        var taken = new List<OutcomeEvent>();
        await foreach (var outcome in subscription.WithCancellation(cancellationToken))
        {
            taken.Add(outcome);
            if (taken.Count == count)
            {
                break;
            }
        }

        return taken;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }
}
