using EventRuntime.Broker.Cluster;
using EventRuntime.Contracts;
using EventRuntime.Node.Bus;
using EventRuntime.Node.Kernel;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Presence;

/// <summary>
/// The agent's second queue, <see cref="FleetQueue.For"/>: bound to the fanout exchanges of <see cref="ListContainers"/>
/// and <see cref="PingNodes"/>, so one published question reaches every agent. Questions expire in it
/// after 30 s and the queue itself a minute after its agent went: a question asked while the agent is away is answered
/// by no one, later or now, which is what lets the asker tell a silent agent from a live one. Apart from the command queue, so a
/// question never waits behind stops that hold their deliveries; connected once the bus runs, stopped before it.
/// </summary>
public sealed class FleetQuestionIntake(
    IReceiveEndpointConnector connector,
    IBusRegistrationContext registration,
    IOptions<NodeOptions> node,
    IOptions<RabbitMqOptions> broker) : IHostedService
{
    /// <summary>A question older than this is dropped by the broker: its asker has long stopped listening.</summary>
    private static readonly TimeSpan QuestionLifetime = TimeSpan.FromSeconds(30);

    /// <summary>How long the queue of an agent that has gone stays on the broker.</summary>
    private static readonly TimeSpan UnusedQueueLifetime = TimeSpan.FromMinutes(1);

    /// <summary>Questions answered at once; each is a read of the records and one publish.</summary>
    private const int Concurrency = 4;

    private HostReceiveEndpointHandle? endpoint;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        endpoint = connector.ConnectReceiveEndpoint(FleetQueue.For(node.Value.Name), (_, e) =>
        {
            if (e is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                // Neither auto-delete nor transient: MassTransit declares those exclusive to the agent's connection, and
                // its _fleet_error queue with it, which no operator could then read. The broker removes the queue instead
                // once no agent has consumed from it for a while (x-expires).
                rabbit.SetQueueArgument("x-expires", (int)UnusedQueueLifetime.TotalMilliseconds);
                rabbit.PrefetchCount = Concurrency * 4;
                // On a cluster the queue is a quorum queue like the command queue: a classic one lives on one broker node,
                // and with that node gone the agent could neither consume nor declare it again (and its bus would stay
                // unhealthy) until the node came back. RabbitMQ 3.10's quorum queues take no message TTL: there a stale
                // question is answered late, into a reply queue its asker has left.
                broker.Value.QueueType.Apply(rabbit);
                if (broker.Value.QueueType != BrokerQueueType.Quorum)
                {
                    rabbit.SetQueueArgument("x-message-ttl", (int)QuestionLifetime.TotalMilliseconds);
                }
            }

            e.ConcurrentMessageLimit = Concurrency;
            // A question no consumer can read ends in the _fleet_error queue with the reason in its headers.
            UnpublishedFaults.Configure(e);
            e.Consumer<InventoryConsumer>(registration);
            e.Consumer<PresenceConsumer>(registration);
        });
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (endpoint is not null)
        {
            await endpoint.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
