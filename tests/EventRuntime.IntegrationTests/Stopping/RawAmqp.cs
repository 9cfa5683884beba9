using System.Text;
using RabbitMQ.Client;

namespace EventRuntime.IntegrationTests.Stopping;

/// <summary>A plain AMQP client (RabbitMQ.Client, no MassTransit), as a control plane in another language would use.</summary>
internal sealed class RawAmqp : IAsyncDisposable
{
    private readonly IConnection connection;
    private IChannel channel;

    private RawAmqp(IConnection connection, IChannel channel)
    {
        this.connection = connection;
        this.channel = channel;
    }

    public static async Task<RawAmqp> ConnectAsync(Uri broker)
    {
        var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        return new RawAmqp(connection, await OpenChannelAsync(connection));
    }

    private static Task<IChannel> OpenChannelAsync(IConnection connection) =>
        connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));

    /// <summary>Publishes <paramref name="body"/> to the exchange named like the node's queue (MassTransit's send convention).</summary>
    public async Task PublishAsync(string exchange, string body, string contentType, IDictionary<string, object?>? headers = null, Guid? messageId = null)
    {
        var properties = new BasicProperties { ContentType = contentType, Persistent = true, Headers = headers, MessageId = messageId?.ToString() };
        await channel.BasicPublishAsync(exchange, routingKey: "", mandatory: false, properties, Encoding.UTF8.GetBytes(body));
    }

    public async Task PublishBytesAsync(string exchange, byte[] body, string? contentType, IDictionary<string, object?>? headers = null)
    {
        var properties = new BasicProperties { ContentType = contentType, Persistent = true, Headers = headers };
        await channel.BasicPublishAsync(exchange, routingKey: "", mandatory: false, properties, body);
    }

    /// <summary>Polls <paramref name="queue"/> until a message arrives or <paramref name="within"/> passes.</summary>
    public async Task<BasicGetResult?> GetAsync(string queue, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await channel.BasicGetAsync(queue, autoAck: true) is { } result)
                {
                    return result;
                }
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                // The queue does not exist yet (MassTransit declares error queues on first use); the broker closed the channel.
                channel.Dispose();
                channel = await OpenChannelAsync(connection);
            }

            await Task.Delay(100);
        }

        return null;
    }

    /// <summary>A server-named queue bound to the fanout <paramref name="exchange"/>: it gets a copy of everything sent there, as a wiretap would.</summary>
    /// <param name="exchange">The exchange.</param>
    /// <param name="declare">Declares it first, as MassTransit declares a message type's exchange (durable fanout), for one nobody has published to yet.</param>
    public async Task<string> TapAsync(string exchange, bool declare = false)
    {
        if (declare)
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        }

        var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: false, autoDelete: true);
        await channel.QueueBindAsync(queue.QueueName, exchange, routingKey: "");
        return queue.QueueName;
    }

    public async Task<uint> PurgeAsync(string queue) => await channel.QueuePurgeAsync(queue);

    /// <summary>Messages ready in <paramref name="queue"/> (not those delivered and still unacknowledged).</summary>
    public async Task<uint> MessageCountAsync(string queue) => await channel.MessageCountAsync(queue);

    /// <summary>The broker's count of <paramref name="queue"/>'s consumers; 0 when the queue does not exist.</summary>
    public async Task<uint> ConsumersAsync(string queue)
    {
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).ConsumerCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            channel.Dispose();
            channel = await OpenChannelAsync(connection);
            return 0;
        }
    }

    /// <summary>
    /// A consumer of <paramref name="queue"/> that takes one message and never settles it, on a channel of its own: the
    /// broker counts it, and it takes nothing more. Disposing the channel sends the message back to the queue.
    /// </summary>
    public async Task<IChannel> HoldOneAsync(string queue)
    {
        var holding = await connection.CreateChannelAsync();
        await holding.BasicQosAsync(0, 1, global: false);
        await holding.BasicConsumeAsync(queue, autoAck: false, new RabbitMQ.Client.Events.AsyncEventingBasicConsumer(holding));
        return holding;
    }

    /// <summary>The fault reasons of every message in <paramref name="errorQueue"/>; empty when the queue does not exist.</summary>
    public async Task<IReadOnlyList<string>> DrainFaultsAsync(string errorQueue)
    {
        var faults = new List<string>();
        try
        {
            while (await channel.BasicGetAsync(errorQueue, autoAck: true) is { } result)
            {
                var headers = result.BasicProperties.Headers ?? new Dictionary<string, object?>();
                faults.Add(headers.TryGetValue("MT-Fault-Message", out var reason) && reason is byte[] bytes
                    ? Encoding.UTF8.GetString(bytes)
                    : "(no MT-Fault-Message header)");
            }
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            channel.Dispose();
            channel = await OpenChannelAsync(connection);
        }

        return faults;
    }

    /// <summary>Takes every message now in <paramref name="queue"/>; empty when the queue does not exist (yet).</summary>
    public async Task<IReadOnlyList<BasicGetResult>> DrainAsync(string queue)
    {
        var messages = new List<BasicGetResult>();
        try
        {
            while (await channel.BasicGetAsync(queue, autoAck: true) is { } result)
            {
                messages.Add(result);
            }
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            channel.Dispose();
            channel = await OpenChannelAsync(connection);
        }

        return messages;
    }

    public async ValueTask DisposeAsync()
    {
        await channel.CloseAsync();
        await connection.CloseAsync();
        channel.Dispose();
        connection.Dispose();
    }
}
