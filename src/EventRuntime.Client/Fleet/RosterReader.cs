using System.Text.Json;
using EventRuntime.Broker.Tls;
using EventRuntime.Contracts;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace EventRuntime.Client;

/// <summary>
/// Reads the roster stream (<see cref="RosterStream"/>), keeping the heartbeats of <c>now − window</c> and later, up to a mark of its own, on a
/// connection opened for it alone: AMQP 0-9-1 has no end of a stream, so the reader first drops a mark into it (through
/// the stream's own exchange) and knows it has read everything heard before it asked when the mark comes back. Declares
/// the stream and its bindings when it is missing (a broker that infra/rabbitmq/definitions.json did not provision):
/// agents join it with their next heartbeat. Best effort: null when the roster cannot be read, and the question then
/// listens for its whole wait as it did before there was a roster.
/// </summary>
internal static class RosterReader
{
    /// <summary>Deliveries in flight from the stream; acknowledged in batches of a quarter of it.</summary>
    private const ushort Prefetch = 1000;

    private const ulong AckEvery = Prefetch / 4;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly string HeartbeatExchange = "EventRuntime.Contracts:" + nameof(NodeHeartbeat);

    public static async Task<Roster?> ReadAsync(
        IReadOnlyList<Uri> urls, BrokerTls? tls, TimeSpan window, bool requireNodePublisher, TimeSpan connectTimeout, CancellationToken cancellationToken)
    {
        foreach (var url in urls)
        {
            try
            {
                return await ReadFromAsync(url, tls, window, requireNodePublisher, connectTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // This node cannot serve the stream (down, no permission, no streams): the next may.
            }
        }

        return null;
    }

    private static async Task<Roster> ReadFromAsync(
        Uri url, BrokerTls? tls, TimeSpan window, bool requireNodePublisher, TimeSpan connectTimeout, CancellationToken cancellationToken)
    {
        var since = DateTimeOffset.UtcNow - window;
        var factory = BrokerProbe.OneShotFactory(url, tls, connectTimeout, "eventruntime-client-roster");
        await using var connection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        await EnsureStreamAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

        var mark = Guid.NewGuid().ToString("N");
        await channel.BasicPublishAsync(RosterStream.Name, "", mandatory: false,
            new BasicProperties { MessageId = mark, Type = RosterStream.MarkType }, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);

        var heard = new List<NodeHeartbeat>();
        var markRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // A stream consumer must acknowledge, with a prefetch: the broker refuses an automatic-ack one.
        await channel.BasicQosAsync(0, Prefetch, global: false, cancellationToken).ConfigureAwait(false);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            if (delivery.BasicProperties.Type == RosterStream.MarkType)
            {
                if (delivery.BasicProperties.MessageId == mark)
                {
                    markRead.TrySetResult();
                }
            }
            else if (HeartbeatOf(delivery.Body.Span) is { } heartbeat && heartbeat.SentAt >= since
                && (!requireNodePublisher || delivery.BasicProperties.UserId == "node-" + heartbeat.Node))
            {
                heard.Add(heartbeat);
            }

            if (delivery.DeliveryTag % AckEvery == 0)
            {
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: true, cancellationToken).ConfigureAwait(false);
            }
        };
        // From the first message the stream keeps: x-max-age already bounds it to about the default window, and "first" is
        // read the same way by every broker version, where a timestamp offset attaches at a chunk boundary. SentAt filters
        // what is older than the window.
        var from = new Dictionary<string, object?> { ["x-stream-offset"] = "first" };
        await channel.BasicConsumeAsync(RosterStream.Name, autoAck: false, consumerTag: "", noLocal: false, exclusive: false, from, consumer, cancellationToken)
            .ConfigureAwait(false);
        await markRead.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        // Deliveries are handled one at a time, in order: every heartbeat before the mark is in the list.
        return Roster.Of(heard);
    }

    /// <summary>
    /// The stream and its two bindings, declared only when a passive declare says the stream is missing: declaring
    /// needs the configure permission that provisioning may have kept for itself.
    /// </summary>
    private static async Task EnsureStreamAsync(IConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var probe = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await probe.QueueDeclarePassiveAsync(RosterStream.Name, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            // Not there yet: declare it below (the failed passive declare closed its channel).
        }

        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueDeclareAsync(RosterStream.Name, durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object?>
        {
            ["x-queue-type"] = "stream",
            ["x-max-age"] = RosterStream.MaxAge,
            ["x-stream-max-segment-size-bytes"] = RosterStream.MaxSegmentBytes,
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
        // As MassTransit declares a published type's exchange: fanout, durable.
        await channel.ExchangeDeclareAsync(HeartbeatExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.ExchangeDeclareAsync(RosterStream.Name, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueBindAsync(RosterStream.Name, HeartbeatExchange, "", cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueBindAsync(RosterStream.Name, RosterStream.Name, "", cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The heartbeat in a MassTransit envelope; null for anything else the stream holds.</summary>
    private static NodeHeartbeat? HeartbeatOf(ReadOnlySpan<byte> body)
    {
        try
        {
            using var envelope = JsonDocument.Parse(body.ToArray());
            return envelope.RootElement.ValueKind == JsonValueKind.Object && envelope.RootElement.TryGetProperty("message", out var message)
                ? message.Deserialize<NodeHeartbeat>(Json)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
