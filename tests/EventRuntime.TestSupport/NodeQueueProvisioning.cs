using EventRuntime.Contracts;
using RabbitMQ.Client;

namespace EventRuntime.TestSupport;

/// <summary>
/// What infra/rabbitmq/add-node.sh does for a node's commands, done with RabbitMQ.Client: the node's
/// exchange bound to its durable queue, so commands wait there while no agent runs.
/// </summary>
public static class NodeQueueProvisioning
{
    public static Task DeclareAsync(Uri broker, string node) => DeclareQueuesAsync(broker, NodeQueue.For(node));

    /// <summary>Each name as MassTransit lays out an endpoint: a durable queue bound to a fanout exchange of the same name.</summary>
    public static async Task DeclareQueuesAsync(Uri broker, params string[] names)
    {
        await using var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var name in names)
        {
            await channel.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: true);
            await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false);
            await channel.QueueBindAsync(name, name, routingKey: "");
        }
    }
}
