using EventRuntime.Contracts;
using MassTransit;

namespace EventRuntime.Client;

/// <summary>
/// How the client reaches a node: its exchange, not its queue (declaring or binding the queue would need rights
/// on it that a least-privilege control plane lacks), and mandatory, so a node without a queue is an error
/// (<see cref="MessageReturnedException"/>) instead of a silent drop.
/// </summary>
internal static class NodeExchange
{
    public static async Task SendAsync<T>(IBus bus, string node, T message, CancellationToken cancellationToken)
        where T : class
    {
        var endpoint = await bus.GetSendEndpoint(new Uri($"exchange:{NodeQueue.For(node)}")).ConfigureAwait(false);
        await endpoint.Send(message, context =>
        {
            if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
            {
                rabbit.Mandatory = true;
            }
        }, cancellationToken).ConfigureAwait(false);
    }
}
