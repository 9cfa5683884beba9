using System.CommandLine;
using EventRuntime.Cli.Connection;
using EventRuntime.Broker.Cluster;
using EventRuntime.Client;

namespace EventRuntime.Cli;

/// <summary>The options every ert command takes: where the broker is.</summary>
internal sealed class GlobalOptions
{
    /// <summary>How long ert tries to reach the broker before it gives up with exit code 3.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    public Option<string?> RabbitMq { get; } = new("--rabbitmq")
    {
        Description = "Broker URL, amqp://user:password@host:port/vhost (default: $RABBITMQ_URL, then the config file, then amqp://guest:guest@127.0.0.1:5672/)",
        Recursive = true,
    };

    public Option<string?> ClusterNodes { get; } = new("--cluster-nodes")
    {
        Description = "A broker cluster's nodes, host:port,host:port,... tried in turn, with quorum outcome queues (default: $RABBITMQ_CLUSTER_NODES, then the config file's \"clusterNodes\")",
        Recursive = true,
    };

    public Option<string?> Config { get; } = new("--config")
    {
        Description = "Config file with { \"rabbitmq\": \"amqp(s)://...\", \"tls\": { \"caFile\": ... } } (default: $ERT_CONFIG, then ~/.config/ert/config.json)",
        Recursive = true,
    };

    public Option<bool> RequireNodePublisher { get; } = new("--require-node-publisher")
    {
        Description = "Count an outcome only if broker user node-<its node> published it (the users of infra/rabbitmq/definitions.json); others are ignored",
        Recursive = true,
    };

    public ConnectionSettings Connection(ParseResult parseResult) =>
        ConnectionSettings.Resolve(parseResult.GetValue(RabbitMq), parseResult.GetValue(Config), Environment.GetEnvironmentVariables(), parseResult.GetValue(ClusterNodes));

    /// <summary>A client for the broker these options name; it connects on first use, and signs with <paramref name="keyFile"/> when given.</summary>
    public EventRuntimeClient Client(ParseResult parseResult, KeyFileSetting? keyFile = null)
    {
        var connection = Connection(parseResult);
        var options = new EventRuntimeClientOptions
        {
            RabbitMqUrl = connection.RabbitMqUrl,
            Tls = connection.Tls,
            ConnectTimeout = ConnectTimeout,
            QueuePrefix = "eventruntime-client-ert",
            CommandKeyFile = keyFile?.Path,
            RequireNodePublisher = parseResult.GetValue(RequireNodePublisher),
            ClusterNodes = connection.ClusterNodes,
            // On a cluster ert's outcome queue must outlive the broker node that holds it, as the agents' command queues do.
            QueueType = connection.ClusterNodes is null ? BrokerQueueType.Classic : BrokerQueueType.Quorum,
            // One broker: a plain connection, since building a bus costs a one-shot process more than its stop
            // (docs/benchmarks.md); a cluster keeps the bus, which fails over between its nodes.
            Transport = connection.ClusterNodes is null ? ClientTransport.Direct : ClientTransport.Bus,
        };
        try
        {
            return new EventRuntimeClient(options);
        }
        catch (IOException e)
        {
            throw new UsageException($"{keyFile!.Source}: {e.Message}");
        }
    }
}
