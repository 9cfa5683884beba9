using EventRuntime.Broker.Cluster;
using EventRuntime.Broker.Tls;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace EventRuntime.Node.Bus;

/// <summary>
/// Asks the broker, over a short plain AMQP connection of its own, how many consumers the node's command queue has and
/// how many commands wait in it: the broker's word, not MassTransit's belief. A passive declare never creates nor changes
/// the queue.
/// </summary>
public sealed class CommandQueueProbe(RabbitMqOptions broker)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The queue's consumers and ready messages as the broker counts them; none of either when the queue does not exist.</summary>
    /// <exception cref="BrokerUnreachableException">No broker node took the connection (MassTransit is reconnecting too).</exception>
    public async Task<(uint Consumers, uint Ready)> CountAsync(string queue, CancellationToken cancellationToken)
    {
        var url = new Uri(broker.Url);
        var urls = BrokerNodes.Parse(broker.ClusterNodes, "RabbitMq:ClusterNodes")?.UrlsFor(url) ?? [url];
        var password = BrokerPassword.FromFile(broker.PasswordFile);
        var failures = new List<Exception>();
        foreach (var node in urls)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Timeout);
            IConnection connection;
            try
            {
                connection = await Factory(node, password).CreateConnectionAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is BrokerUnreachableException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                failures.Add(e);
                continue;
            }

            await using (connection.ConfigureAwait(false))
            {
                await using var channel = await connection.CreateChannelAsync(cancellationToken: deadline.Token).ConfigureAwait(false);
                try
                {
                    var declared = await channel.QueueDeclarePassiveAsync(queue, deadline.Token).ConfigureAwait(false);
                    return (declared.ConsumerCount, declared.MessageCount);
                }
                catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
                {
                    return (0, 0);
                }
            }
        }

        throw new BrokerUnreachableException(new AggregateException(failures));
    }

    private ConnectionFactory Factory(Uri url, string? password)
    {
        var factory = new ConnectionFactory
        {
            Uri = url,
            RequestedConnectionTimeout = Timeout,
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            ClientProvidedName = "eventruntime-node-consumer-check",
        };
        if (password is not null)
        {
            factory.Password = password;
        }

        BrokerTls.For(url, broker.Tls)?.Apply(factory.Ssl);
        return factory;
    }
}
