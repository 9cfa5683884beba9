using EventRuntime.Broker.Cluster;
using EventRuntime.Broker.Tls;

namespace EventRuntime.Node.Bus;

/// <summary>Where the broker is (section "RabbitMq"). See docs/configuration.md.</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    /// <summary>amqp(s)://user:password@host:port/vhost of the broker; the password may be left to <see cref="PasswordFile"/>.</summary>
    public string Url { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>A file holding the broker password (e.g. <c>%d/broker-password</c> from systemd's LoadCredential=); over the URL's.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>
    /// The broker's <c>consumer_timeout</c> as configured there (RabbitMQ's default is 30 minutes): a delivery
    /// left unacknowledged longer makes the broker close the channel. A command stays unacknowledged for its
    /// whole stop, so the agent refuses to start when <c>Stop</c>'s longest stop does not fit in it.
    /// </summary>
    public TimeSpan ConsumerTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The cluster's nodes as <c>host:port,host:port,...</c>, tried in turn on every (re)connect; empty for one broker
    /// (the URL's host). The URL still gives user, password, virtual host and scheme.
    /// </summary>
    public string? ClusterNodes { get; set; }

    /// <summary>
    /// How the command queue is declared: <c>Classic</c> (one broker) or <c>Quorum</c> (a cluster: the queue's commands
    /// survive the loss of a broker node). The broker definitions and add-node.sh must declare the same type.
    /// </summary>
    public BrokerQueueType QueueType { get; set; } = BrokerQueueType.Classic;

    /// <summary>TLS for amqps:// URLs (section "RabbitMq:Tls").</summary>
    public BrokerTlsOptions Tls { get; set; } = new();
}
