using System.Text.Json.Serialization.Metadata;
using EventRuntime.Broker.Tls;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace EventRuntime.Client;

/// <summary>
/// Fleet questions over one plain RabbitMQ.Client connection per question and no bus (<see cref="ClientTransport.Direct"/>):
/// building and starting a MassTransit bus took a one-shot <c>ert ps</c> a third of its second (docs/benchmarks.md).
/// The queues and exchanges are declared as MassTransit declares them, the question is written in MassTransit's envelope
/// (the agents' fleet queue reads it with MassTransit), and so are the answers read.
/// </summary>
internal sealed class DirectFleetAsking(EventRuntimeClientOptions options, BrokerTls? tls) : IFleetAsking
{
    public async Task<IFleetListening<TQuestion>> ListenAsync<TQuestion, TAnswer>(Action<TAnswer> onAnswer, CancellationToken cancellationToken)
        where TQuestion : class
        where TAnswer : class
    {
        var connection = await BrokerProbe.ConnectAsync(options.RabbitMqUrl, tls, options.ConnectTimeout, $"{options.QueuePrefix}-fleet", cancellationToken)
            .ConfigureAwait(false);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.TopologyTimeout);
            var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), deadline.Token).ConfigureAwait(false);
            var answerUrn = MassTransitEnvelope.UrnOf<TAnswer>();
            var answerType = TypeOf<TAnswer>();
            var queue = $"{options.QueuePrefix}-fleet-{Guid.NewGuid():N}";
            await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true, cancellationToken: deadline.Token).ConfigureAwait(false);
            await channel.ExchangeDeclareAsync(MassTransitEnvelope.ExchangeOf(answerUrn), ExchangeType.Fanout, durable: true, autoDelete: false,
                cancellationToken: deadline.Token).ConfigureAwait(false);
            await channel.QueueBindAsync(queue, MassTransitEnvelope.ExchangeOf(answerUrn), "", cancellationToken: deadline.Token).ConfigureAwait(false);
            var questionExchange = MassTransitEnvelope.ExchangeOf(MassTransitEnvelope.UrnOf<TQuestion>());
            await channel.ExchangeDeclareAsync(questionExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: deadline.Token)
                .ConfigureAwait(false);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) =>
            {
                if (MassTransitEnvelope.Read(delivery.Body, answerUrn, answerType) is { } answer)
                {
                    onAnswer(answer);
                }

                return Task.CompletedTask;
            };
            await channel.BasicConsumeAsync(queue, autoAck: true, consumer, deadline.Token).ConfigureAwait(false);
            return new Listening<TQuestion>(connection, channel, questionExchange, TypeOf<TQuestion>(), options.TopologyTimeout);
        }
        catch (Exception e)
        {
            throw await BrokerProbe.SetupFailedAsync(connection, "the answer queue", options, e, cancellationToken).ConfigureAwait(false) ?? e;
        }
    }

    private static JsonTypeInfo<T> TypeOf<T>() =>
        WireJson.Default.GetTypeInfo(typeof(T)) as JsonTypeInfo<T> ?? throw new InvalidOperationException($"{typeof(T).Name} is not in WireJson");

    private sealed class Listening<TQuestion>(IConnection connection, IChannel channel, string exchange, JsonTypeInfo<TQuestion> type, TimeSpan timeout)
        : IFleetListening<TQuestion>
        where TQuestion : class
    {
        /// <summary>How long the close may wait for the broker's answer: the answers are in, and the broker drops the queue anyway.</summary>
        private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

        public async Task AskAsync(TQuestion question, CancellationToken cancellationToken)
        {
            var messageId = Guid.NewGuid();
            var properties = new BasicProperties { ContentType = MassTransitEnvelope.ContentType, MessageId = messageId.ToString() };
            // The broker's confirm is awaited, never longer than the topology timeout.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            await channel.BasicPublishAsync(exchange, "", mandatory: false, properties, MassTransitEnvelope.Write(question, messageId, type), deadline.Token)
                .ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            // The exclusive queue goes with the connection.
            using var deadline = new CancellationTokenSource(CloseTimeout);
            await connection.CloseAsync(deadline.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await channel.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
