using EventRuntime.Contracts;
using MassTransit;

namespace EventRuntime.Client;

/// <summary>
/// Asks one node what became of a command: a temporary queue bound to the answers, connected only for the
/// question, then <see cref="GetCommandStatus"/> sent to the node's exchange like a command (<see cref="NodeExchange"/>).
/// </summary>
internal static class StatusQuery
{
    public static async Task<CommandStatus> AskAsync(IBus bus, string queuePrefix, string node, Guid commandId, TimeSpan within, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(within, TimeSpan.Zero);
        var requestId = Guid.NewGuid();
        var answer = new TaskCompletionSource<CommandStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handle = bus.ConnectReceiveEndpoint($"{queuePrefix}-status-{Guid.NewGuid():N}", e =>
        {
            if (e is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.AutoDelete = true;
                rabbit.Durable = false;
            }

            e.Handler<CommandStatus>(context =>
            {
                if (context.Message.RequestId == requestId && context.Message.Node == node)
                {
                    answer.TrySetResult(context.Message);
                }

                return Task.CompletedTask;
            });
        });
        try
        {
            await handle.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await NodeExchange.SendAsync(bus, node, new GetCommandStatus { RequestId = requestId, Node = node, CommandId = commandId }, cancellationToken).ConfigureAwait(false);
            }
            catch (MessageReturnedException e)
            {
                throw new InvalidOperationException($"failed to ask node {node} about command {commandId}: the broker has no command queue for node {node}", e);
            }

            try
            {
                return await answer.Task.WaitAsync(within, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"node {node} did not answer about command {commandId} within {within.TotalSeconds:0.#} s: its agent may be down (the question waits in its queue)", e);
            }
        }
        finally
        {
            await handle.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
