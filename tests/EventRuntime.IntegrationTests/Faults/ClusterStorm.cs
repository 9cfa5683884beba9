using System.Collections.Concurrent;
using System.Diagnostics;
using EventRuntime.Broker.Cluster;
using EventRuntime.Client;
using EventRuntime.Contracts;
using EventRuntime.Node.Bus;
using EventRuntime.IntegrationTests.Stopping;
using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace EventRuntime.IntegrationTests.Faults;

/// <summary>
/// A 200-stop storm on a <see cref="RabbitMqCluster"/>, with the leader of the node's command queue
/// <c>docker kill</c>ed in the middle: real runc containers (half of them ignore TERM and use their 2 s grace period,
/// so the storm outlasts the failover), one agent and the client library as the control plane, both given all
/// three nodes and quorum queues. Half the commands are sent before the kill, half right after it, through the
/// failover. What it measured, for the assertions and the report.
/// </summary>
internal sealed class ClusterStorm
{
    public const int Containers = 200;

    public required int Missing { get; init; }
    public required int Duplicates { get; init; }
    public required int NotStopped { get; init; }
    public required long CopiesDropped { get; init; }
    public required int Errors { get; init; }
    public required int KilledNode { get; init; }
    public required int OutcomesBeforeKill { get; init; }
    public required int OutcomesAtKill { get; init; }
    public required TimeSpan FirstOutcomeAfterKill { get; init; }
    public required TimeSpan LastOutcome { get; init; }
    public required TimeSpan AgentHealthyAfterKill { get; init; }
    public required BusHealthResult AgentHealth { get; init; }
    public required IReadOnlyList<string> StillRunning { get; init; }
    public required IReadOnlyList<string> StillMounted { get; init; }
    public required string NextStop { get; init; }
    public required int EndpointReconnects { get; init; }

    public string Figures =>
        $"{Containers} stops, leader rmq{KilledNode + 1} killed after {OutcomesBeforeKill} outcomes ({OutcomesAtKill} when docker kill returned), the other {Containers / 2} sent through the failover: {Missing} missing, {Duplicates} duplicates, " +
        $"{NotStopped} not ContainerStopped, {Errors} in _error, {CopiesDropped} wire copies dropped by the client; first outcome " +
        $"{FirstOutcomeAfterKill.TotalSeconds:0.0} s after the kill, agent Healthy again after {AgentHealthyAfterKill.TotalSeconds:0.0} s, " +
        $"last outcome {LastOutcome.TotalSeconds:0.0} s after the storm began; command endpoint connected again by the agent's consumer check {EndpointReconnects} time(s)";

    /// <summary>The agent's settings on the cluster, its node list starting at <paramref name="firstNode"/>.</summary>
    public static IReadOnlyDictionary<string, string?> AgentSettings(RabbitMqCluster cluster, int firstNode = 0) => new Dictionary<string, string?>
    {
        ["Stop:Concurrency"] = "32",
        ["RabbitMq:ClusterNodes"] = NodesFrom(cluster, firstNode),
        ["RabbitMq:QueueType"] = nameof(BrokerQueueType.Quorum),
    };

    public static EventRuntimeClientOptions ClientOptions(RabbitMqCluster cluster, int firstNode = 0) => new()
    {
        RabbitMqUrl = cluster.NodeUri(firstNode),
        ClusterNodes = NodesFrom(cluster, firstNode),
        QueueType = BrokerQueueType.Quorum,
        // Long enough for the connect during a failover to find a node that answers.
        ConnectTimeout = TimeSpan.FromSeconds(30),
    };

    private static string NodesFrom(RabbitMqCluster cluster, int first) =>
        string.Join(',', Enumerable.Range(0, RabbitMqCluster.Size).Select(i => cluster.HostPorts[(first + i) % RabbitMqCluster.Size]));

    /// <param name="cluster">The cluster, whole when the storm starts and again when it ends.</param>
    /// <param name="firstNode">The node agent and client connect to first, and so (RabbitMQ places a new quorum queue's
    /// leader on the node that declares it) the one likely to lead the command queue and be killed.</param>
    public static async Task<ClusterStorm> RunAsync(RabbitMqCluster cluster, int firstNode = 0)
    {
        await using var sandbox = new RuncSandbox();
        var ids = Enumerable.Range(0, Containers).Select(i => $"c{i:D3}").ToList();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            await sandbox.StartAsync(id, i % 2 == 0 ? BusyboxRootfs.TrapsTerm : BusyboxRootfs.IgnoresTerm);
        }

        var node = "cluster-" + Guid.NewGuid().ToString("N")[..8];
        await using var agent = await NodeAgent.StartAsync(node, sandbox, cluster.NodeUri(firstNode), AgentSettings(cluster, firstNode));
        await using var client = new EventRuntimeClient(ClientOptions(cluster, firstNode));
        using var subscription = client.Subscribe();
        await client.ConnectAsync();
        var outcomes = new ConcurrentQueue<(OutcomeEvent Outcome, TimeSpan At)>();
        var clock = Stopwatch.StartNew();
        var reader = Task.Run(async () =>
        {
            await foreach (var outcome in subscription)
            {
                outcomes.Enqueue((outcome, clock.Elapsed));
            }
        });

        // Asked before the storm: rabbitmqctl takes a second or two, and the kill must find the storm in full flow.
        var leader = await cluster.LeaderOfAsync(NodeQueue.For(node));
        var commandIds = new List<Guid>();
        foreach (var id in ids.Take(Containers / 2))
        {
            commandIds.Add(await client.SendStopAsync(node, id, TimeSpan.FromSeconds(2)));
        }

        await Poll.UntilAsync(() => outcomes.Count >= 20, TimeSpan.FromSeconds(120), "20 outcomes before the kill");
        var outcomesBeforeKill = outcomes.Count;
        await cluster.KillAsync(leader);
        var killedAt = clock.Elapsed;
        var outcomesAtKill = outcomes.Count;
        try
        {
            foreach (var id in ids.Skip(Containers / 2))
            {
                commandIds.Add(await client.SendStopAsync(node, id, TimeSpan.FromSeconds(2)));
            }

            var expected = commandIds.ToHashSet();
            try
            {
                await Poll.UntilAsync(() => expected.IsSubsetOf(outcomes.Select(o => o.Outcome.CommandId)), TimeSpan.FromMinutes(5),
                    $"an outcome for each of the {Containers} commands");
            }
            catch (TimeoutException e)
            {
                // Say how far it got: a stall (outcomes stopped coming) reads differently from a slow machine.
                var answered = outcomes.Select(o => o.Outcome.CommandId).ToHashSet();
                var last = outcomes.IsEmpty ? "none" : $"the last {(clock.Elapsed - outcomes.Max(o => o.At)).TotalSeconds:0} s ago";
                var stopped = 0;
                foreach (var id in ids)
                {
                    stopped += (await sandbox.StateAsync(id)).Status == RuntimeStatus.Stopped ? 1 : 0;
                }

                // Where the commands and outcomes are: in the node's queue (the agent does not consume), in the client's
                // (the client does not), or nowhere (not sent).
                // And which of them could not take a message: an outcome is nacked when any queue bound to its exchange is.
                string[] columns = ["name", "messages_ready", "messages_unacknowledged", "consumers", "leader", "members", "online"];
                var queues = await cluster.CtlAsync((leader + 1) % RabbitMqCluster.Size, ["-q", "list_queues", .. columns]);
                throw new TimeoutException(
                    $"{e.Message}: {expected.Count(c => !answered.Contains(c))} of {expected.Count} commands have none ({outcomes.Count} outcomes received, {last}; " +
                    $"{stopped} of {ids.Count} containers stopped; client resends {client.CommandsResent}; " +
                    $"node {leader + 1} killed {(clock.Elapsed - killedAt).TotalSeconds:0} s ago; the agent's bus {agent.Services.GetRequiredService<IBusControl>().CheckHealth().Status}: " +
                    $"{agent.Services.GetRequiredService<IBusControl>().CheckHealth().Description}; consumer check: {agent.Services.GetRequiredService<CommandConsumerWatchdog>().Problem ?? "consumed"}, " +
                    $"endpoint connected again {agent.Services.GetRequiredService<CommandConsumerWatchdog>().Reconnects} time(s)); queues ({string.Join(", ", columns)}):\n{queues}", e);
            }
            await Task.Delay(TimeSpan.FromSeconds(3)); // room for a late duplicate to show up
            var bus = agent.Services.GetRequiredService<IBusControl>();
            // MassTransit marks an endpoint healthy again some seconds after it has reconnected.
            await Poll.UntilAsync(() => bus.CheckHealth().Status == BusHealthStatus.Healthy, TimeSpan.FromSeconds(120), "the agent Healthy again");
            var healthyAfter = clock.Elapsed - killedAt;

            // Both recovered without a restart: one more stop through the same client and agent.
            await sandbox.StartAsync("after", BusyboxRootfs.TrapsTerm);
            var next = await client.StopAsync(node, "after", TimeSpan.FromSeconds(5));

            var received = outcomes.ToList();
            var byCommand = received.GroupBy(o => o.Outcome.CommandId).ToDictionary(g => g.Key, g => g.Count());
            var live = (leader + 1) % RabbitMqCluster.Size;
            await using var amqp = await RawAmqp.ConnectAsync(cluster.NodeUri(live));
            var errors = (await amqp.DrainFaultsAsync(NodeQueue.For(node) + "_error")).Count;
            var stillRunning = new List<string>();
            var stillMounted = new List<string>();
            foreach (var id in ids)
            {
                if ((await sandbox.StateAsync(id)).Status != RuntimeStatus.Stopped)
                {
                    stillRunning.Add(id);
                }

                if (sandbox.Storage.IsMounted(id))
                {
                    stillMounted.Add(id);
                }
            }

            return new ClusterStorm
            {
                Missing = commandIds.Count(c => !byCommand.ContainsKey(c)),
                Duplicates = byCommand.Values.Sum(n => n - 1),
                NotStopped = received.Count(o => o.Outcome.Kind != OutcomeKind.Stopped),
                CopiesDropped = client.DuplicateOutcomesDropped,
                Errors = errors,
                KilledNode = leader,
                OutcomesBeforeKill = outcomesBeforeKill,
                OutcomesAtKill = outcomesAtKill,
                FirstOutcomeAfterKill = received.Where(o => o.At > killedAt).Select(o => o.At - killedAt).DefaultIfEmpty(TimeSpan.MaxValue).Min(),
                LastOutcome = received.Max(o => o.At),
                AgentHealthyAfterKill = healthyAfter,
                AgentHealth = bus.CheckHealth(),
                StillRunning = stillRunning,
                StillMounted = stillMounted,
                EndpointReconnects = agent.Services.GetRequiredService<CommandConsumerWatchdog>().Reconnects,
                NextStop = next.Event.Kind + (next.Event.Reason is { } reason ? ": " + reason : ""),
            };
        }
        finally
        {
            subscription.Dispose();
            await reader;
            // The next test starts from a whole cluster.
            await cluster.StartAsync(leader);
        }
    }
}
