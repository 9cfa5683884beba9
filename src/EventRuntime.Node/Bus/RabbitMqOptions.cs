using EventRuntime.Broker.Tls;

namespace EventRuntime.Node.Bus;

/// <summary>Where the broker is (section "RabbitMq"). See docs/configuration.md.</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    /// <summary>amqp(s)://user:password@host:port/vhost of the broker.</summary>
    public string Url { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>TLS for amqps:// URLs (section "RabbitMq:Tls").</summary>
    public BrokerTlsOptions Tls { get; set; } = new();
}
