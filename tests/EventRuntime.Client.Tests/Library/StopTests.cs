using System.Diagnostics;
using EventRuntime.Client.Tests.Support;
using EventRuntime.Contracts;
using EventRuntime.TestSupport;

namespace EventRuntime.Client.Tests.Library;

// EventRuntimeClient's stops on the real broker, a real agent and real runc containers, over either transport.
[Collection(BrokerCollection.Name)]
public sealed class StopTests(RabbitMqBroker broker)
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(ClientTransport.Bus)]
    [InlineData(ClientTransport.Direct)]
    public async Task StopAsync_returns_the_outcome_of_its_own_command(ClientTransport transport)
    {
        await using var node = await TestNode.StartAsync(broker);
        var web = node.Id("web");
        await node.StartContainersAsync(web);
        await using var client = node.Client(transport: transport);
        var commandId = Guid.NewGuid();

        var outcome = await client.StopAsync(node.Name, web, Grace, new StopCommandOptions { CommandId = commandId });

        Assert.True(outcome.IsStopped);
        Assert.Equal(OutcomeKind.Stopped, outcome.Event.Kind);
        Assert.Equal(commandId, outcome.Event.CommandId);
        Assert.Equal(node.Name, outcome.Event.Node);
        Assert.Equal(web, outcome.Event.ContainerId);
        Assert.InRange(outcome.Latency, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(30));
        Assert.True(await node.IsStoppedAsync(web));
    }

    [Theory]
    [InlineData(ClientTransport.Bus)]
    [InlineData(ClientTransport.Direct)]
    public async Task A_failed_stop_is_an_outcome_with_code_and_reason_not_an_exception(ClientTransport transport)
    {
        await using var node = await TestNode.StartAsync(broker);
        await using var client = node.Client(transport: transport);
        var ghost = node.Id("ghost");

        var outcome = await client.StopAsync(node.Name, ghost, Grace);

        Assert.False(outcome.IsStopped);
        Assert.Equal(StopFailureCode.NotFound, outcome.Event.Code);
        Assert.StartsWith($"failed to find container {ghost}: ", outcome.Event.Reason, StringComparison.Ordinal);
        Assert.Equal(outcome.Event.Reason, outcome.Event.Causes[0]);
    }

    [Theory]
    [InlineData(ClientTransport.Bus)]
    [InlineData(ClientTransport.Direct)]
    public async Task No_outcome_within_the_wait_is_a_timeout_that_names_the_stop(ClientTransport transport)
    {
        await using var node = await TestNode.StartAsync(broker);
        await using var client = node.Client(transport: transport);
        var nobody = "absent-" + Guid.NewGuid().ToString("N")[..8];
        await NodeQueueProvisioning.DeclareAsync(broker.AmqpUri, nobody);
        var commandId = Guid.NewGuid();
        var clock = Stopwatch.StartNew();

        var timeout = await Assert.ThrowsAsync<StopOutcomeTimeoutException>(() =>
            client.StopAsync(nobody, "web", Grace, new StopCommandOptions { CommandId = commandId, OutcomeWait = TimeSpan.FromSeconds(1) }));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        Assert.Equal(commandId, timeout.CommandId);
        Assert.Equal(
            $"no outcome for the stop of container web on node {nobody} (command {commandId}) within 1 s: is an agent for node {nobody} running? The command stays queued for it.",
            timeout.Message);
    }

    [Theory]
    [InlineData(ClientTransport.Bus)]
    [InlineData(ClientTransport.Direct)]
    public async Task A_stop_for_a_node_without_a_command_queue_fails_at_once_instead_of_being_dropped(ClientTransport transport)
    {
        await using var node = await TestNode.StartAsync(broker);
        await using var client = node.Client(transport: transport);
        var unknown = "unknown-" + Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            client.StopAsync(unknown, "web", Grace, new StopCommandOptions { OutcomeWait = TimeSpan.FromSeconds(30) }));

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(15));
        Assert.StartsWith($"failed to send the stop of container web to node {unknown}: the broker has no command queue for node {unknown}", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ClientTransport.Bus)]
    [InlineData(ClientTransport.Direct)]
    public async Task A_cancelled_wait_ends_at_once_and_frees_its_command_id(ClientTransport transport)
    {
        await using var node = await TestNode.StartAsync(broker);
        await using var client = node.Client(transport: transport);
        var nobody = "absent-" + Guid.NewGuid().ToString("N")[..8];
        await NodeQueueProvisioning.DeclareAsync(broker.AmqpUri, nobody);
        var options = new StopCommandOptions { CommandId = Guid.NewGuid() };
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.StopAsync(nobody, "web", Grace, options, cancel.Token));
        var cancelledAfter = clock.Elapsed;
        // It ended because of the token, not on its own (the clock starts a moment after the token's timer).
        Assert.True(cancel.IsCancellationRequested);
        // The same id may be awaited again: the cancelled wait did not leave its slot behind.
        await Assert.ThrowsAsync<StopOutcomeTimeoutException>(() =>
            client.StopAsync(nobody, "web", Grace, options with { OutcomeWait = TimeSpan.FromMilliseconds(300) }));

        Assert.True(cancelledAfter < TimeSpan.FromSeconds(5), $"the cancelled wait took {cancelledAfter}");
    }

    [Theory]
    [InlineData(ClientTransport.Bus)]
    [InlineData(ClientTransport.Direct)]
    public async Task StopManyAsync_keeps_at_most_MaxConcurrency_stops_waiting_and_answers_in_request_order(ClientTransport transport)
    {
        await using var node = await TestNode.StartAsync(broker);
        var ids = Enumerable.Range(1, 6).Select(i => node.Id($"slow{i}")).ToArray();
        foreach (var id in ids)
        {
            // Ignores SIGTERM, so each stop takes its whole 1 s grace period: the batch has to overlap them.
            await node.Sandbox.StartAsync(id, BusyboxRootfs.IgnoresTerm);
        }

        await using var client = node.Client(transport: transport);
        var (waiting, mostWaiting, sent) = (0, 0, 0);
        var gate = new Lock();
        var requests = ids.Select(id => new StopRequest(node.Name, id, TimeSpan.FromSeconds(1))).Append(new StopRequest(node.Name, node.Id("ghost"), Grace)).ToList();

        var results = await client.StopManyAsync(requests, new StopBatchOptions
        {
            MaxConcurrency = 2,
            OnProgress = progress =>
            {
                lock (gate)
                {
                    waiting += progress.Phase == StopPhase.Sent ? 1 : -1;
                    sent += progress.Phase == StopPhase.Sent ? 1 : 0;
                    mostWaiting = Math.Max(mostWaiting, waiting);
                }
            },
        });

        Assert.Equal(2, mostWaiting);
        Assert.Equal(7, sent);
        Assert.Equal(requests, results.Select(result => result.Request));
        Assert.All(results.Take(6), result => Assert.True(result.IsStopped, result.Error));
        Assert.Equal(StopFailureCode.NotFound, results[6].Outcome?.Event.Code);
        Assert.Equal(results.Select(result => result.CommandId), results.Select(result => result.Outcome!.Event.CommandId));
        foreach (var id in ids)
        {
            Assert.True(await node.IsStoppedAsync(id), $"{id} still runs");
        }
    }

    [Theory]
    [InlineData(ClientTransport.Bus)]
    [InlineData(ClientTransport.Direct)]
    public async Task StopManyAsync_reports_a_missing_outcome_as_that_request_s_error(ClientTransport transport)
    {
        await using var node = await TestNode.StartAsync(broker);
        var web = node.Id("web");
        await node.StartContainersAsync(web);
        await using var client = node.Client(transport: transport);
        var nobody = "absent-" + Guid.NewGuid().ToString("N")[..8];
        await NodeQueueProvisioning.DeclareAsync(broker.AmqpUri, nobody);
        var shortWait = new StopCommandOptions { OutcomeWait = TimeSpan.FromSeconds(1) };

        var results = await client.StopManyAsync([new StopRequest(nobody, "web", Grace, shortWait), new StopRequest(node.Name, web, Grace)]);

        Assert.Null(results[0].Outcome);
        Assert.StartsWith($"no outcome for the stop of container web on node {nobody}", results[0].Error, StringComparison.Ordinal);
        Assert.True(results[1].IsStopped);
    }
}
