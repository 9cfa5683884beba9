using EventRuntime.Contracts;
using RabbitMQ.Client;

namespace EventRuntime.TestSupport;

/// <summary>
/// What infra/rabbitmq/add-node.sh does for a node's commands, done with RabbitMQ.Client: the node's
/// exchange bound to its durable queue, so commands wait there while no agent runs.
/// </summary>
public static class NodeQueueProvisioning
{
    public static async Task DeclareAsync(Uri broker, string node)
    {
        await using var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var name = NodeQueue.For(node);
        await channel.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: true);
        await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(name, name, routingKey: "");
    }
}
