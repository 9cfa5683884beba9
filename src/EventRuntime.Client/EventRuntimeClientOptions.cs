using EventRuntime.Broker.Cluster;
using EventRuntime.Broker.Tls;

namespace EventRuntime.Client;

/// <summary>Settings of an <see cref="EventRuntimeClient"/>.</summary>
public sealed class EventRuntimeClientOptions
{
    /// <summary>Configuration section that <c>AddEventRuntimeClient(configuration)</c> binds.</summary>
    public const string Section = "EventRuntimeClient";

    /// <summary>amqp(s)://user:password@host:port/vhost of the broker that the node agents use.</summary>
    public Uri RabbitMqUrl { get; set; } = new("amqp://guest:guest@127.0.0.1:5672/");

    /// <summary>
    /// The broker cluster's nodes as <c>host:port,host:port,...</c>, the agents' <c>RabbitMq:ClusterNodes</c>: the client
    /// connects to the first that answers and, when its node goes away, to the next. Empty for one broker (the URL's host);
    /// the URL still gives user, password, virtual host and scheme.
    /// </summary>
    public string? ClusterNodes { get; set; }

    /// <summary>
    /// <c>Quorum</c> on a cluster (as the agents' <c>RabbitMq:QueueType</c>): the client's outcome queue is then a quorum
    /// queue, so outcomes published while the broker node that held it is down are not lost; the broker deletes it
    /// <see cref="OutcomeQueueExpiry"/> after the client has gone. <c>Classic</c>: a temporary queue on one broker.
    /// </summary>
    public BrokerQueueType QueueType { get; set; } = BrokerQueueType.Classic;

    /// <summary>How long a quorum outcome queue outlives its client (RabbitMQ's queue TTL, <c>x-expires</c>).</summary>
    public TimeSpan OutcomeQueueExpiry { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a command's send may wait for the broker's confirm before the command is sent again on a fresh channel
    /// of its own (MassTransit keeps retrying a nacked publish on the channel it has). A command sent twice is carried
    /// out once; its outcome is delivered once.
    /// </summary>
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>Bus</c> (the default): stops go over a MassTransit bus that reconnects and fails over. <c>Direct</c>: over one
    /// plain connection that opens in milliseconds and never reconnects, for one-shot processes on one broker (ert uses it
    /// when no <see cref="ClusterNodes"/> are set). See <see cref="ClientTransport"/>.
    /// </summary>
    public ClientTransport Transport { get; set; } = ClientTransport.Bus;

    /// <summary>TLS for an amqps:// <see cref="RabbitMqUrl"/> (section "EventRuntimeClient:Tls"); the same settings as the node's "RabbitMq:Tls".</summary>
    public BrokerTlsOptions Tls { get; set; } = new();

    /// <summary>
    /// How long connecting may take before it fails with <see cref="BrokerUnavailableException"/>.
    /// MassTransit on its own retries a connection for ever; a caller wants to hear that the broker is away.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Once a broker node took the connection, how long the outcome queue and its bindings (on the bus, its start) may
    /// take before connecting fails with <see cref="BrokerUnavailableException"/>. Apart from <see cref="ConnectTimeout"/>,
    /// which says quickly that a broker is away: a broker that answered is waited for longer, since a busy machine or a
    /// cluster electing leaders slows the declarations (ert's bus took more than 5 s with the load average at 31, 2026-12-01).
    /// </summary>
    public TimeSpan TopologyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Added to a stop's grace period to get how long to wait for its outcome when the caller does not
    /// say. It covers the agent's own deadlines after the grace period (SIGKILL retries, the wait for
    /// "stopped", the unmount), which are 90 s together by default.
    /// </summary>
    public TimeSpan OutcomeWaitMargin { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Prefix of the client's temporary outcome queue, so an operator can tell whose queue it is.</summary>
    public string QueuePrefix { get; set; } = "eventruntime-client";

    /// <summary>
    /// File holding the command key that nodes with <c>Security:CommandKeyFile</c> share. When set (or
    /// <see cref="CommandKey"/>), every command is signed as it is sent. Read when the client is created;
    /// a missing or unreadable file fails that with an <see cref="IOException"/> naming it.
    /// </summary>
    public string? CommandKeyFile { get; set; }

    /// <summary>The command key itself, for callers that keep it elsewhere than in a file. Set this or <see cref="CommandKeyFile"/>.</summary>
    public string? CommandKey { get; set; }

    /// <summary>
    /// When true, an outcome counts only if its broker publisher (<see cref="OutcomeEvent.PublishedBy"/>) is
    /// <c>node-&lt;its Node&gt;</c>, the node user of infra/rabbitmq/definitions.json; any other outcome is
    /// dropped, so a node cannot answer for another. Leave false on brokers without those users.
    /// </summary>
    public bool RequireNodePublisher { get; set; }
}
