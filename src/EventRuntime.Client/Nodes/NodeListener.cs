using System.Collections.Concurrent;
using EventRuntime.Contracts;
using MassTransit;

namespace EventRuntime.Client;

/// <summary>
/// Hears node heartbeats for a while on a temporary queue of its own, connected only for that time:
/// a client that only stops containers should not receive every agent's heartbeat.
/// </summary>
internal static class NodeListener
{
    public static async Task<IReadOnlyList<NodeHeartbeat>> ListenAsync(IBus bus, string queuePrefix, TimeSpan listenFor, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(listenFor, TimeSpan.Zero);
        var latest = new ConcurrentDictionary<string, NodeHeartbeat>(StringComparer.Ordinal);
        var handle = bus.ConnectReceiveEndpoint($"{queuePrefix}-nodes-{Guid.NewGuid():N}", e =>
        {
            if (e is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.AutoDelete = true;
                rabbit.Durable = false;
            }

            e.Handler<NodeHeartbeat>(context =>
            {
                latest.AddOrUpdate(context.Message.Node, context.Message, (_, known) => known.SentAt >= context.Message.SentAt ? known : context.Message);
                return Task.CompletedTask;
            });
        });
        try
        {
            await handle.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(listenFor, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await handle.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return [.. latest.Values.OrderBy(heartbeat => heartbeat.Node, StringComparer.Ordinal)];
    }
}
