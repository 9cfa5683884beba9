using System.Net;
using System.Net.Sockets;
using Testcontainers.RabbitMq;

namespace EventRuntime.TestSupport;

/// <summary>
/// A RabbitMQ container of a test's own, on a fixed loopback port so that clients find it again after
/// <see cref="RestartAsync"/> (Testcontainers picks a new random port on every start otherwise).
/// Durable queues and persistent messages survive the restart: the container keeps its data.
/// </summary>
public sealed class RestartableRabbitMq : IAsyncDisposable
{
    private readonly RabbitMqContainer container;

    private RestartableRabbitMq(RabbitMqContainer container, Uri amqpUri)
    {
        this.container = container;
        AmqpUri = amqpUri;
    }

    public Uri AmqpUri { get; }

    public static async Task<RestartableRabbitMq> StartAsync()
    {
        var port = LoopbackPort.Free();
        var container = new RabbitMqBuilder(BrokerContainer.Image)
            .WithUsername(RabbitMqBroker.User).WithPassword(RabbitMqBroker.Password)
            .WithPortBinding(port, RabbitMqBuilder.RabbitMqPort)
            .Build();
        await container.StartAsync();
        return new RestartableRabbitMq(container, new Uri($"amqp://{RabbitMqBroker.User}:{RabbitMqBroker.Password}@127.0.0.1:{port}/"));
    }

    public Task StopAsync() => container.StopAsync();

    public async Task StartAsync(TimeSpan within)
    {
        await container.StartAsync();
        await WaitUntilAcceptingAsync(within);
    }

    /// <summary>Stops the broker, keeps it down for <paramref name="downFor"/>, starts it again and waits until it takes connections.</summary>
    public async Task RestartAsync(TimeSpan downFor, Func<Task>? whileDown = null)
    {
        await container.StopAsync();
        var down = Task.Delay(downFor);
        if (whileDown is not null)
        {
            await whileDown();
        }

        await down;
        await container.StartAsync();
        await WaitUntilAcceptingAsync(TimeSpan.FromSeconds(120));
    }

    public async ValueTask DisposeAsync() => await container.DisposeAsync();

    private async Task WaitUntilAcceptingAsync(TimeSpan within)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = AmqpUri };
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                await using var connection = await factory.CreateConnectionAsync();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }
}
