using MassTransit;

namespace EventRuntime.Client;

/// <summary>Fleet questions over the client's bus: a receive endpoint connected for the question, its queue auto-deleted.</summary>
internal sealed class BusFleetAsking(IBus bus, string queuePrefix) : IFleetAsking
{
    public async Task<IFleetListening<TQuestion>> ListenAsync<TQuestion, TAnswer>(Action<TAnswer> onAnswer, CancellationToken cancellationToken)
        where TQuestion : class
        where TAnswer : class
    {
        var handle = bus.ConnectReceiveEndpoint($"{queuePrefix}-fleet-{Guid.NewGuid():N}", e =>
        {
            if (e is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.AutoDelete = true;
                rabbit.Durable = false;
                // Answers of a hundred agents arrive at once; take them as fast as they come.
                rabbit.PrefetchCount = 256;
            }

            e.Handler<TAnswer>(context =>
            {
                onAnswer(context.Message);
                return Task.CompletedTask;
            });
        });
        try
        {
            await handle.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await handle.StopAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return new Listening<TQuestion>(bus, handle);
    }

    private sealed class Listening<TQuestion>(IBus bus, HostReceiveEndpointHandle handle) : IFleetListening<TQuestion>
        where TQuestion : class
    {
        public Task AskAsync(TQuestion question, CancellationToken cancellationToken) => bus.Publish(question, cancellationToken);

        public async ValueTask DisposeAsync() => await handle.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
