using Testcontainers.RabbitMq;

namespace EventRuntime.Testing;

/// <summary>
/// RabbitMQ for a test run: the broker at <c>RABBITMQ_URL</c> when it is set, otherwise a container started through
/// Testcontainers from <c>EVENTRUNTIME_RABBITMQ_IMAGE</c> (default <see cref="DefaultImage"/>).
/// </summary>
public sealed class TestBroker : IAsyncDisposable
{
    /// <summary>The image used when <c>EVENTRUNTIME_RABBITMQ_IMAGE</c> is not set.</summary>
    public const string DefaultImage = "rabbitmq:3.13-management";

    private readonly RabbitMqContainer? container;

    private TestBroker(Uri amqpUri, RabbitMqContainer? container)
    {
        AmqpUri = amqpUri;
        this.container = container;
    }

    /// <summary>amqp://user:password@host:port/ of the broker.</summary>
    public Uri AmqpUri { get; }

    /// <summary>Connects to <c>RABBITMQ_URL</c>, or starts a RabbitMQ container; a failure says which image and how to get Docker ready.</summary>
    public static async Task<TestBroker> StartAsync(CancellationToken cancellationToken = default)
    {
        if (Environment.GetEnvironmentVariable("RABBITMQ_URL") is { Length: > 0 } existing)
        {
            return new TestBroker(new Uri(existing), null);
        }

        var image = Environment.GetEnvironmentVariable("EVENTRUNTIME_RABBITMQ_IMAGE") is { Length: > 0 } configured ? configured : DefaultImage;
        var container = new RabbitMqBuilder(image).Build();
        try
        {
            await container.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await container.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException(
                $"failed to start RabbitMQ image {image} through Docker ({e.Message}); set EVENTRUNTIME_RABBITMQ_IMAGE to a local image, or RABBITMQ_URL to a broker", e);
        }

        return new TestBroker(new Uri(container.GetConnectionString()), container);
    }

    /// <summary>Removes the container, if this broker started one.</summary>
    public async ValueTask DisposeAsync()
    {
        if (container is not null)
        {
            await container.DisposeAsync().ConfigureAwait(false);
        }
    }
}
