using EventRuntime.Broker.Cluster;
using EventRuntime.TestSupport;

namespace EventRuntime.Client.Tests.Library;

// What the direct transport does that the bus does not: it never reconnects, so a lost connection ends the waits at once
// with the reason; and it refuses a cluster, where only the bus fails over.
[Collection(BrokerCollection.Name)]
public sealed class DirectTransportTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task A_connection_the_broker_closes_fails_the_waiting_stop_at_once_with_the_reason()
    {
        var nobody = "absent-" + Guid.NewGuid().ToString("N")[..8];
        await NodeQueueProvisioning.DeclareAsync(broker.AmqpUri, nobody);
        var prefix = "eventruntime-client-lost-" + Guid.NewGuid().ToString("N")[..8];
        await using var client = new EventRuntimeClient(new EventRuntimeClientOptions
        {
            RabbitMqUrl = broker.AmqpUri,
            Transport = ClientTransport.Direct,
            QueuePrefix = prefix,
        });
        await client.ConnectAsync();
        var stop = client.StopAsync(nobody, "web", TimeSpan.FromSeconds(1), new StopCommandOptions { OutcomeWait = TimeSpan.FromMinutes(10) });

        await broker.CtlAsync("close_connection", await ConnectionPidAsync(prefix), "closed by DirectTransportTests");

        var lost = await Assert.ThrowsAsync<BrokerUnavailableException>(() => stop.WaitAsync(TimeSpan.FromMinutes(2)));
        Assert.Contains("lost the connection to RabbitMQ", lost.Message, StringComparison.Ordinal);
        Assert.Contains("closed by DirectTransportTests", lost.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:5672,127.0.0.1:5673", BrokerQueueType.Classic)]
    [InlineData(null, BrokerQueueType.Quorum)]
    public async Task A_direct_client_refuses_a_cluster_before_it_connects(string? clusterNodes, BrokerQueueType queueType)
    {
        await using var client = new EventRuntimeClient(new EventRuntimeClientOptions
        {
            RabbitMqUrl = broker.AmqpUri,
            Transport = ClientTransport.Direct,
            ClusterNodes = clusterNodes,
            QueueType = queueType,
        });

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => client.ConnectAsync());
        Assert.Equal("EventRuntimeClient:Transport Direct has no failover between broker nodes: use Bus with ClusterNodes or quorum queues", refused.Message);
    }

    // The connection's pid, found by the name the client gives it (its queue prefix); asked again while the broker
    // does not list it yet.
    private async Task<string> ConnectionPidAsync(string name)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var listing = await broker.CtlAsync("-q", "list_connections", "pid", "client_properties", "--no-table-headers");
            var pid = listing.Split('\n').Where(line => line.Contains($"\"{name}\"", StringComparison.Ordinal)).Select(line => line.Split('\t')[0].Trim()).FirstOrDefault();
            if (pid is not null)
            {
                return pid;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the broker did not list connection {name} within 30 s: {listing}");
            await Task.Delay(200);
        }
    }
}
