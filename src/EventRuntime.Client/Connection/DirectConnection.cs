using System.Diagnostics;
using EventRuntime.Broker.Tls;
using EventRuntime.Contracts;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace EventRuntime.Client;

/// <summary>
/// Stops over one RabbitMQ.Client connection and no bus (<see cref="ClientTransport.Direct"/>), for a process that
/// sends a few commands and exits, such as <c>ert stop</c>: building and starting a MassTransit bus cost a one-shot
/// process more than the stop itself (docs/benchmarks.md). One channel publishes (confirmed, mandatory), one consumes a
/// temporary queue bound to the outcome exchanges, as the bus's outcome queue is. It never reconnects: a lost
/// connection fails every wait at once (<c>onLost</c>), since the temporary queue and the outcomes in it go with it.
/// </summary>
internal sealed class DirectConnection : IStopConnection
{
    private readonly IConnection connection;
    private readonly IChannel publishing;
    private readonly IChannel consuming;
    private readonly Uri url;
    private readonly HashSet<string> declared = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim sending = new(1, 1);
    private volatile bool closing;

    private DirectConnection(IConnection connection, IChannel publishing, IChannel consuming, Uri url, ConnectionTimings timings)
    {
        this.connection = connection;
        this.publishing = publishing;
        this.consuming = consuming;
        this.url = url;
        Timings = timings;
    }

    public ConnectionTimings Timings { get; }

    public long Resends => 0;

    /// <summary>
    /// Connects within the connect timeout, declares the outcome queue within the topology timeout and starts consuming it; outcomes go to
    /// <paramref name="onOutcome"/>, and a connection lost other than by <see cref="DisposeAsync"/> to <paramref name="onLost"/>.
    /// </summary>
    public static async Task<DirectConnection> OpenAsync(EventRuntimeClientOptions options, BrokerTls? tls,
        Action<OutcomeEvent> onOutcome, Action<Exception> onLost, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var connection = await BrokerProbe.ConnectAsync(options.RabbitMqUrl, tls, options.ConnectTimeout, options.QueuePrefix, cancellationToken).ConfigureAwait(false);
        var connected = clock.Elapsed;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.TopologyTimeout);
            var publishing = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), deadline.Token).ConfigureAwait(false);
            var consuming = await connection.CreateChannelAsync(cancellationToken: deadline.Token).ConfigureAwait(false);
            var queue = $"{options.QueuePrefix}-{Guid.NewGuid():N}";
            await consuming.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true, cancellationToken: deadline.Token).ConfigureAwait(false);
            foreach (var exchange in OutcomeEnvelope.Exchanges)
            {
                // As MassTransit declares them, so that the agents' bus and this agree whoever comes first.
                await consuming.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: deadline.Token).ConfigureAwait(false);
                await consuming.QueueBindAsync(queue, exchange, "", cancellationToken: deadline.Token).ConfigureAwait(false);
            }

            var direct = new DirectConnection(connection, publishing, consuming, options.RabbitMqUrl, new ConnectionTimings(connected, clock.Elapsed - connected));
            var consumer = new AsyncEventingBasicConsumer(consuming);
            consumer.ReceivedAsync += (_, delivery) =>
            {
                if (OutcomeEnvelope.Read(delivery.Body, delivery.BasicProperties.UserId) is { } outcome)
                {
                    onOutcome(outcome);
                }

                return Task.CompletedTask;
            };
            connection.ConnectionShutdownAsync += (_, reason) =>
            {
                if (!direct.closing)
                {
                    onLost(new BrokerUnavailableException(
                        $"lost the connection to RabbitMQ at {BrokerAddress.Describe(direct.url)} ({reason.ReplyText}) while waiting for outcomes; " +
                        "a command already sent is still carried out by its node: ask for it with ert status"));
                }

                return Task.CompletedTask;
            };
            // Outcomes are taken as they arrive: the queue is this process's alone and dies with it.
            await consuming.BasicConsumeAsync(queue, autoAck: true, consumer, deadline.Token).ConfigureAwait(false);
            return direct;
        }
        catch (Exception e)
        {
            throw await BrokerProbe.SetupFailedAsync(connection, "the outcome queue", options, e, cancellationToken).ConfigureAwait(false) ?? e;
        }
    }

    public async Task SendAsync(StopContainer command, CancellationToken cancellationToken)
    {
        // One publish at a time on the channel: RabbitMQ.Client does not promise that concurrent publishes (and the
        // declare between them) on one channel keep their frames apart, and a batch of ert's is a few commands.
        await sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await PublishAsync(command, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            sending.Release();
        }
    }

    private async Task PublishAsync(StopContainer command, CancellationToken cancellationToken)
    {
        var exchange = NodeQueue.For(command.Node);
        if (!declared.Contains(exchange))
        {
            // A publish to an exchange that does not exist closes the channel; declared as MassTransit declares it,
            // the publish to a node without a queue comes back as returned (mandatory) instead.
            await publishing.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            declared.Add(exchange);
        }

        try
        {
            await publishing.BasicPublishAsync(exchange, "", mandatory: true, RawCommand.Properties(command), RawCommand.Body(command), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (RabbitMQ.Client.Exceptions.PublishException e) when (e.IsReturn)
        {
            throw new MessageReturnedException($"the broker returned the command for node {command.Node}: no queue is bound to its exchange", e);
        }
        catch (RabbitMQ.Client.Exceptions.PublishException e)
        {
            throw new InvalidOperationException($"the broker refused (nacked) command {command.CommandId}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        closing = true;
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await connection.CloseAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or RabbitMQ.Client.Exceptions.AlreadyClosedException or IOException)
        {
            // Closing is best effort: the broker may already be gone.
        }

        await publishing.DisposeAsync().ConfigureAwait(false);
        await consuming.DisposeAsync().ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
    }
}
