using EventRuntime.Broker.Tls;
using EventRuntime.Contracts;
using MassTransit;
using RabbitMQ.Client;

namespace EventRuntime.Client;

/// <summary>
/// Publishes one command on a channel opened for it alone, of a connection opened for it alone, to the first node
/// that takes the connection. MassTransit retries a nacked publish on the channel it has; after the node that led a
/// quorum queue died, RabbitMQ 3.10 was seen to nack every publish on such a channel until another one was opened
/// (docs/reliability.md). The command goes out as the wire contract's bare JSON (content type application/json),
/// persistent, mandatory and confirmed, with its command id as the message id.
/// </summary>
internal static class FreshChannelPublisher
{
    public static async Task PublishAsync(IReadOnlyList<Uri> urls, BrokerTls? tls, StopContainer command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var body = RawCommand.Body(command);
        var properties = RawCommand.Properties(command);
        var failures = new List<string>();
        foreach (var url in urls)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            var factory = BrokerProbe.OneShotFactory(url, tls, timeout, "eventruntime-client-resend");
            try
            {
                await using var connection = await factory.CreateConnectionAsync(deadline.Token).ConfigureAwait(false);
                await using var channel = await connection.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), deadline.Token).ConfigureAwait(false);
                await channel.BasicPublishAsync(NodeQueue.For(command.Node), "", mandatory: true, properties, body, deadline.Token).ConfigureAwait(false);
                return;
            }
            catch (RabbitMQ.Client.Exceptions.PublishException e) when (e.IsReturn)
            {
                throw new MessageReturnedException($"the broker returned the command for node {command.Node}: no queue is bound to its exchange", e);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{BrokerAddress.Describe(url)}: {(e is RabbitMQ.Client.Exceptions.PublishException ? "nacked" : BrokerProbe.Explain(e))}");
            }
        }

        throw new BrokerUnavailableException($"failed to resend command {command.CommandId} on a fresh channel: {string.Join("; ", failures)}");
    }
}
