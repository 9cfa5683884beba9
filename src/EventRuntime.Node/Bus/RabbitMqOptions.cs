namespace EventRuntime.Node.Bus;

/// <summary>Where the broker is (section "RabbitMq"). See docs/configuration.md.</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    /// <summary>amqp://user:password@host:port/vhost of the broker.</summary>
    public string Url { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";
}
