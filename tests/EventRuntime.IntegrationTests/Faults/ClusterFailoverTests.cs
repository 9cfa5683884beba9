using System.Diagnostics;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Faults;

// Three broker nodes with quorum queues; one of them killed in the middle of a stop storm.
[Collection(ClusterCollection.Name)]
public sealed class ClusterFailoverTests(RabbitMqCluster cluster)
{
    [Fact]
    public async Task Killing_the_queue_leader_in_a_200_container_stop_storm_loses_and_duplicates_nothing()
    {
        var storm = await ClusterStorm.RunAsync(cluster);

        AssertExactlyOnce(storm);
        ReliabilityReport.Record("cluster-leader-kill", $"cluster formed in {cluster.FormedIn.TotalSeconds:0.0} s; {storm.Figures}");
    }

    [Fact]
    public async Task A_killed_node_started_again_rejoins_and_carries_the_next_storm_through_another_kill()
    {
        var queue = "rejoin-" + Guid.NewGuid().ToString("N")[..8];
        var leader = await DeclareQuorumQueueAsync(queue);
        await cluster.KillAsync(leader);
        var clock = Stopwatch.StartNew();
        await cluster.StartAsync(leader);
        var rejoinedIn = clock.Elapsed;
        // Its member of the queue is back in the queue's Raft group, not just the node in the cluster.
        await WaitUntilMemberAsync(queue, leader, TimeSpan.FromSeconds(60));
        var caughtUpIn = clock.Elapsed;

        // The next storm's queue is declared through another node, which then leads it and is killed: of the two nodes
        // left, one is the rejoined node, so the queue keeps its majority only if that node took its part again.
        var storm = await ClusterStorm.RunAsync(cluster, firstNode: (leader + 1) % RabbitMqCluster.Size);

        Assert.NotEqual(leader, storm.KilledNode);
        AssertExactlyOnce(storm);
        ReliabilityReport.Record("cluster-rejoin",
            $"rmq{leader + 1} killed and started again: running in the cluster after {rejoinedIn.TotalSeconds:0.0} s, its quorum member " +
            $"in the queue's group after {caughtUpIn.TotalSeconds:0.0} s; the next storm, its queue's majority rmq{leader + 1} and the third node: {storm.Figures}");
    }

    private static void AssertExactlyOnce(ClusterStorm storm)
    {
        Assert.Equal(0, storm.Missing);
        Assert.Equal(0, storm.Duplicates);
        Assert.Equal(0, storm.NotStopped);
        Assert.Equal(0, storm.Errors);
        Assert.Empty(storm.StillRunning);
        Assert.Empty(storm.StillMounted);
        Assert.True(storm.AgentHealth.Status == MassTransit.BusHealthStatus.Healthy, $"{storm.AgentHealth.Status}: {storm.AgentHealth.Description}");
        Assert.Equal(nameof(Client.OutcomeKind.Stopped), storm.NextStop);
    }

    private async Task<int> DeclareQuorumQueueAsync(string queue)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = cluster.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        return await cluster.LeaderOfAsync(queue);
    }

    private async Task WaitUntilMemberAsync(string queue, int node, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        var other = (node + 1) % RabbitMqCluster.Size;
        while (true)
        {
            var (exitCode, status) = await TryQuorumStatusAsync(queue, other);
            // One row per member: its node, its Raft state (leader or follower when it takes part) and its log indexes.
            var row = status.Split('\n').FirstOrDefault(l => l.Contains($"rabbit@rmq{node + 1}", StringComparison.Ordinal));
            if (exitCode == 0 && row is not null && (row.Contains("follower", StringComparison.Ordinal) || row.Contains("leader", StringComparison.Ordinal)))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"rmq{node + 1} did not take its part in quorum queue {queue} within {within.TotalSeconds:0} s: {status}");
            }

            await Task.Delay(250);
        }
    }

    private async Task<(int, string)> TryQuorumStatusAsync(string queue, int askNode)
    {
        try
        {
            return (0, await cluster.QueuesAsync(askNode, "quorum_status", queue));
        }
        catch (InvalidOperationException e)
        {
            return (1, e.Message);
        }
    }
}
