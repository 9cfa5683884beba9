using System.Text;
using EventRuntime.Client;
using EventRuntime.Contracts;
using EventRuntime.Node.Runtime;
using EventRuntime.Node.Stopping;
using EventRuntime.TestSupport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace EventRuntime.IntegrationTests.Security;

/// <summary>
/// The users of infra/rabbitmq/definitions.json on a real broker: each node may touch only its own
/// queues and the outcome exchanges, the control plane may send commands and read outcomes. Every
/// refusal is paired with the same call on a resource the user may use, so a refusal for any other
/// reason (a missing queue, a wrong password) fails the test.
/// </summary>
[Collection(SecuredBrokerCollection.Name)]
public sealed class BrokerPermissionTests(SecuredRabbitMqBroker broker)
{
    private const ushort AccessRefused = 403;

    [Fact]
    public async Task A_node_agent_with_only_its_own_permissions_stops_a_container_commanded_by_the_control_plane()
    {
        await using var sandbox = new RuncSandbox();
        await sandbox.StartAsync("lp-web", BusyboxRootfs.TrapsTerm);
        await using var agent = await NodeAgent.StartAsync("alpha", sandbox, broker.UriFor(SecuredRabbitMqBroker.NodeUser("alpha")));
        await using var client = new EventRuntimeClient(new EventRuntimeClientOptions { RabbitMqUrl = broker.UriFor(SecuredRabbitMqBroker.ControlPlane) });

        var outcome = await client.StopAsync("alpha", "lp-web", TimeSpan.FromSeconds(10));
        // A status request travels as a command does, and its answer as an outcome does: within the same rights.
        var status = await client.GetStatusAsync("alpha", outcome.Event.CommandId, TimeSpan.FromSeconds(30));

        Assert.True(outcome.IsStopped, outcome.Event.Reason);
        Assert.Equal(RuntimeStatus.Stopped, (await sandbox.StateAsync("lp-web")).Status);
        Assert.Equal(CommandStatus.Stopped, status.Status);
    }

    [Fact]
    public async Task An_outcome_carries_the_broker_user_that_published_it_and_no_node_can_claim_another()
    {
        await using var sandbox = new RuncSandbox();
        await sandbox.StartAsync("lp-signed-by", BusyboxRootfs.TrapsTerm);
        await using var agent = await NodeAgent.StartAsync("alpha", sandbox, broker.UriFor(SecuredRabbitMqBroker.NodeUser("alpha")));
        await using var plane = await ConnectAsync(SecuredRabbitMqBroker.ControlPlane);
        await using var listening = await plane.CreateChannelAsync();
        var queue = "eventruntime-client-published-by-" + Guid.NewGuid().ToString("N")[..8];
        await listening.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true);
        await listening.QueueBindAsync(queue, "EventRuntime.Contracts:ContainerStopped", routingKey: "");
        await using var client = new EventRuntimeClient(new EventRuntimeClientOptions { RabbitMqUrl = broker.UriFor(SecuredRabbitMqBroker.ControlPlane) });

        var stopped = await client.StopAsync("alpha", "lp-signed-by", TimeSpan.FromSeconds(10));
        var outcome = await listening.BasicGetAsync(queue, autoAck: true);

        Assert.True(stopped.IsStopped, stopped.Event.Reason);
        Assert.Equal("node-alpha", stopped.Event.PublishedBy);
        Assert.Equal("node-alpha", outcome?.BasicProperties.UserId);
        await using var alpha = await ConnectAsync(SecuredRabbitMqBroker.NodeUser("alpha"));
        var claim = await RefusalOfAsync(alpha, channel => channel.BasicPublishAsync("EventRuntime.Contracts:ContainerStopped", "", mandatory: false,
            new BasicProperties { ContentType = "application/json", UserId = "node-beta" }, Encoding.UTF8.GetBytes("{}")).AsTask());
        Assert.Equal<ushort?>(406, claim?.ReplyCode);
        Assert.Contains("user_id", claim?.ReplyText);
    }

    [Theory]
    [InlineData(ClientTransport.Bus)]
    [InlineData(ClientTransport.Direct)]
    public async Task A_client_that_requires_node_publishers_ignores_an_outcome_another_node_published(ClientTransport transport)
    {
        await using var careful = new EventRuntimeClient(new EventRuntimeClientOptions
        {
            RabbitMqUrl = broker.UriFor(SecuredRabbitMqBroker.ControlPlane),
            RequireNodePublisher = true,
            Transport = transport,
        });
        await using var trusting = new EventRuntimeClient(new EventRuntimeClientOptions { RabbitMqUrl = broker.UriFor(SecuredRabbitMqBroker.ControlPlane), Transport = transport });
        using var carefulEvents = careful.Subscribe();
        using var trustingEvents = trusting.Subscribe();
        await careful.ConnectAsync();
        await trusting.ConnectAsync();
        await using var beta = await ConnectAsync(SecuredRabbitMqBroker.NodeUser("beta"));
        await using var channel = await beta.CreateChannelAsync();
        var forged = Guid.NewGuid();

        // Node beta publishes, under its own user, an outcome that claims to come from node alpha.
        await channel.BasicPublishAsync("EventRuntime.Contracts:ContainerStopped", "", mandatory: false,
            new BasicProperties { ContentType = "application/vnd.masstransit+json", UserId = "node-beta" },
            Encoding.UTF8.GetBytes($$$"""
                {"messageId":"{{{Guid.NewGuid()}}}","messageType":["urn:message:EventRuntime.Contracts:ContainerStopped"],
                 "message":{"commandId":"{{{forged}}}","node":"alpha","containerId":"lp-web","stoppedAt":"2026-11-29T00:00:00Z"}}
                """));

        var seen = await NextAsync(trustingEvents, TimeSpan.FromSeconds(10));
        Assert.Equal(forged, seen.CommandId);
        Assert.Equal("node-beta", seen.PublishedBy);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NextAsync(carefulEvents, TimeSpan.FromSeconds(2)));
    }

    private static async Task<OutcomeEvent> NextAsync(OutcomeSubscription subscription, TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        await using var events = subscription.GetAsyncEnumerator(deadline.Token);
        return await events.MoveNextAsync() ? events.Current : throw new InvalidOperationException("the subscription ended");
    }

    [Fact]
    public async Task An_unreadable_command_to_a_least_privilege_node_lands_in_its_error_queue()
    {
        await using var sandbox = new RuncSandbox();
        await using var agent = await NodeAgent.StartAsync("beta", sandbox, broker.UriFor(SecuredRabbitMqBroker.NodeUser("beta")));
        await using var plane = await Stopping.RawAmqp.ConnectAsync(broker.UriFor(SecuredRabbitMqBroker.ControlPlane));

        await plane.PublishBytesAsync(NodeQueue.For("beta"), [0x7b, 0x22, 0xff, 0x00], "application/json");

        // Moving it to the error queue needs only rights on the node's own names; a refused declare would leave it unacknowledged.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string queues;
        do
        {
            await Task.Delay(200);
            queues = await broker.RabbitMqCtlAsync("-q", "list_queues", "-p", SecuredRabbitMqBroker.VirtualHost, "name", "messages", "--no-table-headers");
        }
        while (!queues.Contains("eventruntime-node-beta_error\t1") && DateTime.UtcNow < deadline);

        Assert.Contains("eventruntime-node-beta_error\t1", queues);
        Assert.Contains("eventruntime-node-beta\t0", queues);
    }

    [Fact]
    public async Task A_node_cannot_consume_another_nodes_command_queue()
    {
        await DeclareNodeQueuesAsync("alpha", "beta");
        await using var alpha = await ConnectAsync(SecuredRabbitMqBroker.NodeUser("alpha"));

        Assert.Null(await RefusalOfAsync(alpha, channel => ConsumeAsync(channel, NodeQueue.For("alpha"))));
        var refusal = await RefusalOfAsync(alpha, channel => ConsumeAsync(channel, NodeQueue.For("beta")));

        Assert.Equal<ushort?>(AccessRefused, refusal?.ReplyCode);
        Assert.Contains("eventruntime-node-beta", refusal?.ReplyText);
    }

    [Fact]
    public async Task A_node_cannot_send_a_command_to_another_node_nor_delete_its_queue()
    {
        await DeclareNodeQueuesAsync("alpha", "beta");
        await using var alpha = await ConnectAsync(SecuredRabbitMqBroker.NodeUser("alpha"));

        var toOtherNode = await RefusalOfAsync(alpha, channel => PublishCommandAsync(channel, NodeQueue.For("beta")));
        var byTypeExchange = await RefusalOfAsync(alpha, channel => PublishCommandAsync(channel, "EventRuntime.Contracts:StopContainer"));
        var deletion = await RefusalOfAsync(alpha, channel => channel.QueueDeleteAsync(NodeQueue.For("beta")));

        Assert.Equal<ushort?>(AccessRefused, toOtherNode?.ReplyCode);
        Assert.Equal<ushort?>(AccessRefused, byTypeExchange?.ReplyCode);
        Assert.Equal<ushort?>(AccessRefused, deletion?.ReplyCode);
        Assert.Null(await RefusalOfAsync(alpha, channel => PublishOutcomeAsync(channel)));
    }

    [Fact]
    public async Task The_control_plane_can_send_commands_but_cannot_consume_a_node_queue()
    {
        await DeclareNodeQueuesAsync("alpha");
        await using var plane = await ConnectAsync(SecuredRabbitMqBroker.ControlPlane);

        Assert.Null(await RefusalOfAsync(plane, channel => PublishCommandAsync(channel, NodeQueue.For("alpha"))));
        var consume = await RefusalOfAsync(plane, channel => ConsumeAsync(channel, NodeQueue.For("alpha")));
        var get = await RefusalOfAsync(plane, channel => channel.BasicGetAsync(NodeQueue.For("alpha"), autoAck: true));

        Assert.Equal<ushort?>(AccessRefused, consume?.ReplyCode);
        Assert.Equal<ushort?>(AccessRefused, get?.ReplyCode);
        await using var admin = await ConnectAsync(SecuredRabbitMqBroker.Administrator);
        await using var channel = await admin.CreateChannelAsync();
        await channel.QueuePurgeAsync(NodeQueue.For("alpha"));
    }

    [Fact]
    public async Task The_control_plane_reads_the_provisioned_roster_of_a_least_privilege_agent()
    {
        await using var sandbox = new RuncSandbox();
        await using var agent = await NodeAgent.StartAsync("alpha", sandbox, broker.UriFor(SecuredRabbitMqBroker.NodeUser("alpha")));
        await using var client = new EventRuntimeClient(new EventRuntimeClientOptions
        {
            RabbitMqUrl = broker.UriFor(SecuredRabbitMqBroker.ControlPlane),
            RequireNodePublisher = true,
        });

        // Alpha's heartbeats reach the stream the definitions declared; a wait of ten minutes ends once it answered.
        var presence = await client.PingNodesAsync(new FleetQuery { Wait = TimeSpan.FromMinutes(10) }).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Contains("alpha", presence.Live.Select(node => node.Node));
        Assert.Empty(presence.Silent);
    }

    [Fact]
    public async Task A_node_can_neither_mark_read_nor_delete_the_roster_and_the_control_plane_can_mark_and_read_it()
    {
        await using var alpha = await ConnectAsync(SecuredRabbitMqBroker.NodeUser("alpha"));
        await using var plane = await ConnectAsync(SecuredRabbitMqBroker.ControlPlane);

        var mark = await RefusalOfAsync(alpha, channel => PublishMarkAsync(channel));
        var read = await RefusalOfAsync(alpha, channel => ConsumeStreamAsync(channel, RosterStream.Name));
        var deletion = await RefusalOfAsync(alpha, channel => channel.QueueDeleteAsync(RosterStream.Name));

        Assert.Equal<ushort?>(AccessRefused, mark?.ReplyCode);
        Assert.Equal<ushort?>(AccessRefused, read?.ReplyCode);
        Assert.Equal<ushort?>(AccessRefused, deletion?.ReplyCode);
        Assert.Null(await RefusalOfAsync(plane, channel => PublishMarkAsync(channel)));
        Assert.Null(await RefusalOfAsync(plane, channel => ConsumeStreamAsync(channel, RosterStream.Name)));
        Assert.Null(await RefusalOfAsync(alpha, channel => channel.BasicPublishAsync("EventRuntime.Contracts:NodeHeartbeat", "", mandatory: false,
            new BasicProperties { ContentType = "application/json" }, Encoding.UTF8.GetBytes("{}")).AsTask()));
    }

    // Queues exist before the refusals are tried, so that "not found" can never pass for "refused".
    private Task DeclareNodeQueuesAsync(params string[] nodes) =>
        NodeQueueProvisioning.DeclareQueuesAsync(broker.UriFor(SecuredRabbitMqBroker.Administrator),
            [.. nodes.Select(NodeQueue.For)]);

    private Task<IConnection> ConnectAsync(BrokerUser user) =>
        new ConnectionFactory { Uri = broker.UriFor(user) }.CreateConnectionAsync();

    /// <summary>Runs <paramref name="operation"/> on a fresh channel; the broker's reason when it closed the channel for it, null when it succeeded.</summary>
    private static async Task<ShutdownEventArgs?> RefusalOfAsync(IConnection connection, Func<IChannel, Task> operation)
    {
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        try
        {
            await operation(channel);
            return null;
        }
        catch (Exception e) when (e is OperationInterruptedException or AlreadyClosedException or PublishException)
        {
            return channel.CloseReason ?? (e as OperationInterruptedException)?.ShutdownReason;
        }
    }

    private static async Task ConsumeAsync(IChannel channel, string queue)
    {
        var tag = await channel.BasicConsumeAsync(queue, autoAck: false, new AsyncEventingBasicConsumer(channel));
        await channel.BasicCancelAsync(tag);
    }

    /// <summary>A stream consumer needs a prefetch, and an offset to start from.</summary>
    private static async Task ConsumeStreamAsync(IChannel channel, string stream)
    {
        await channel.BasicQosAsync(0, 10, global: false);
        var tag = await channel.BasicConsumeAsync(stream, autoAck: false, consumerTag: "", noLocal: false, exclusive: false,
            new Dictionary<string, object?> { ["x-stream-offset"] = "last" }, new AsyncEventingBasicConsumer(channel));
        await channel.BasicCancelAsync(tag);
    }

    private static Task PublishMarkAsync(IChannel channel) =>
        channel.BasicPublishAsync(RosterStream.Name, "", mandatory: false, new BasicProperties { Type = RosterStream.MarkType, MessageId = Guid.NewGuid().ToString("N") },
            ReadOnlyMemory<byte>.Empty).AsTask();

    private static async Task PublishCommandAsync(IChannel channel, string exchange)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"commandId":"{{Guid.NewGuid()}}","node":"beta","containerId":"lp-none","timeoutSeconds":1}""");
        await channel.BasicPublishAsync(exchange, "", mandatory: false, new BasicProperties { ContentType = "application/json" }, body);
    }

    private static Task PublishOutcomeAsync(IChannel channel) =>
        channel.BasicPublishAsync("EventRuntime.Contracts:ContainerStopFailed", "", mandatory: false, new BasicProperties { ContentType = "application/json" },
            Encoding.UTF8.GetBytes("{}")).AsTask();
}
