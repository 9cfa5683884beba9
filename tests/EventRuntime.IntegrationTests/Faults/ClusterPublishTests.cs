using System.Diagnostics;
using EventRuntime.Broker.Cluster;
using EventRuntime.Client;
using EventRuntime.Contracts;
using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;
using RabbitMQ.Client;

namespace EventRuntime.IntegrationTests.Faults;

// What the control plane's publisher (the client library's: a MassTransit bus that resends on a fresh channel what is
// not confirmed in time) does when the broker node it is connected to, the leader of the quorum queue it sends to, is
// killed in the middle of a stream of confirmed sends. A bare MassTransit send was seen to never return after such a
// kill, its cancellation token ignored (twice, in whole-suite runs on 2026-12-01): the product does not rely on it.
[Collection(ClusterCollection.Name)]
public sealed class ClusterPublishTests(RabbitMqCluster cluster)
{
    [Fact]
    public async Task A_publisher_on_the_killed_leader_loses_no_confirmed_message()
    {
        const int messages = 3000;
        var node = "publish-" + Guid.NewGuid().ToString("N")[..8];
        var queue = NodeQueue.For(node);
        var leader = await DeclareAsync(queue);
        var options = ClusterStorm.ClientOptions(cluster, leader);
        options.ResendAfter = TimeSpan.FromSeconds(5);
        var failures = new List<string>();
        var longestGap = TimeSpan.Zero;
        var confirmed = 0;
        long resent;
        await using (var client = new EventRuntimeClient(options))
        {
            await client.ConnectAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
            var clock = Stopwatch.StartNew();
            try
            {
                for (var i = 0; i < messages; i++)
                {
                    if (i == messages / 3)
                    {
                        await cluster.KillAsync(leader);
                    }

                    var started = clock.Elapsed;
                    try
                    {
                        // Bounded here too: a send that never returns is a failure of this test, not a hang of the suite.
                        await client.SendStopAsync(node, $"web{i}", TimeSpan.FromSeconds(1)).WaitAsync(TimeSpan.FromSeconds(60));
                        confirmed++;
                    }
                    catch (Exception e)
                    {
                        failures.Add($"{i}: {e.GetType().Name}: {e.Message} <- {e.InnerException?.GetType().Name}: {e.InnerException?.Message}");
                        if (failures.Count == 5)
                        {
                            // A publisher that is stuck stays stuck: the first failures say why, the rest would only take time.
                            break;
                        }
                    }

                    longestGap = clock.Elapsed - started > longestGap ? clock.Elapsed - started : longestGap;
                }
            }
            finally
            {
                await cluster.StartAsync(leader);
            }

            resent = client.CommandsResent;
        }

        var live = (leader + 1) % RabbitMqCluster.Size;
        var inQueue = await CountAsync(queue, live);
        ReliabilityReport.Record("cluster-publish",
            $"{messages} sends by the client library, the leader killed at #{messages / 3}: {confirmed} confirmed, {failures.Count} failed, {resent} resent on a fresh channel, " +
            $"{inQueue} in the queue, longest send {longestGap.TotalSeconds:0.00} s" + (failures.Count == 0 ? "" : $"; first failures: {string.Join(" | ", failures.Take(3))}"));
        Assert.True(inQueue >= confirmed, $"{inQueue} in the queue, {confirmed} confirmed");
        Assert.Empty(failures);
    }

    [Fact]
    public async Task A_command_the_broker_keeps_nacking_is_resent_on_fresh_channels_and_answered_once()
    {
        var node = "nacked-" + Guid.NewGuid().ToString("N")[..8];
        var queue = NodeQueue.For(node);
        await DeclareAsync(queue);
        // The broker nacks every publish to a quorum queue over its length limit with reject-publish: a channel that
        // is refused whatever it sends, as the channel of a publisher was after its leader died.
        await cluster.CtlAsync(0, "set_policy", "--apply-to", "queues", queue + "-full", "^" + queue + "$", "{\"max-length\":1,\"overflow\":\"reject-publish\"}");
        await using (var filler = await new ConnectionFactory { Uri = cluster.AmqpUri }.CreateConnectionAsync())
        await using (var channel = await filler.CreateChannelAsync())
        {
            for (var i = 0; i < 3; i++)
            {
                await channel.BasicPublishAsync(queue, "", System.Text.Encoding.UTF8.GetBytes("{}"));
            }
        }

        var options = ClusterStorm.ClientOptions(cluster);
        options.ResendAfter = TimeSpan.FromSeconds(2);
        await using var client = new EventRuntimeClient(options);
        using var subscription = client.Subscribe();
        await client.ConnectAsync();
        var commandId = Guid.NewGuid();
        var send = client.SendStopAsync(node, "web", TimeSpan.FromSeconds(1), new StopCommandOptions { CommandId = commandId });
        await Poll.UntilAsync(() => client.CommandsResent >= 2, TimeSpan.FromSeconds(60), "two resends on fresh channels");
        var completedWhileRefused = send.IsCompleted;
        var resentWhileRefused = client.CommandsResent;

        await cluster.CtlAsync(0, "clear_policy", queue + "-full");
        await using (var purge = await new ConnectionFactory { Uri = cluster.AmqpUri }.CreateConnectionAsync())
        await using (var channel = await purge.CreateChannelAsync())
        {
            await channel.QueuePurgeAsync(queue);
        }

        await send.WaitAsync(TimeSpan.FromSeconds(60));
        await using var sandbox = new RuncSandbox();
        await sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);
        await using var agent = await NodeAgent.StartAsync(node, sandbox, cluster.AmqpUri, ClusterStorm.AgentSettings(cluster));
        var outcomes = new List<OutcomeEvent>();
        using var reading = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await foreach (var outcome in subscription.WithCancellation(reading.Token))
            {
                outcomes.Add(outcome);
                // Room for a second copy of the command to be carried out, and its outcome to arrive.
                reading.CancelAfter(TimeSpan.FromSeconds(5));
            }
        }
        catch (OperationCanceledException)
        {
        }

        ReliabilityReport.Record("cluster-nack-resend",
            $"a command nacked on every channel for {resentWhileRefused} resend periods ({options.ResendAfter.TotalSeconds:0} s each) was sent once the queue took it: " +
            $"{client.CommandsResent} resends on fresh channels, {outcomes.Count} outcome(s), {client.DuplicateOutcomesDropped} copies dropped by the client");
        Assert.False(completedWhileRefused, "the send completed while every publish was nacked");
        var only = Assert.Single(outcomes);
        Assert.Equal(commandId, only.CommandId);
        Assert.Equal(OutcomeKind.Stopped, only.Kind);
        Assert.Equal(RuntimeStatus.Stopped, (await sandbox.StateAsync("web")).Status);
    }

    private async Task<int> DeclareAsync(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = cluster.AmqpUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        await channel.QueueBindAsync(queue, queue, "");
        return await cluster.LeaderOfAsync(queue);
    }

    private async Task<int> CountAsync(string queue, int node)
    {
        await using var connection = await new ConnectionFactory { Uri = cluster.NodeUri(node) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (int)await channel.MessageCountAsync(queue);
    }
}
