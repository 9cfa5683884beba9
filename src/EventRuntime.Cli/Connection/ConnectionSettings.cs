using System.Collections;
using EventRuntime.Broker.Tls;

namespace EventRuntime.Cli.Connection;

/// <summary>
/// Where the broker is, from the first of: <c>--rabbitmq</c>, <c>RABBITMQ_URL</c>, the config file
/// (<c>--config</c>, <c>ERT_CONFIG</c>, or <c>~/.config/ert/config.json</c>), RabbitMQ's local default.
/// TLS settings come from the config file whichever source named the URL. A cluster's nodes come from the first of
/// <c>--cluster-nodes</c>, <c>RABBITMQ_CLUSTER_NODES</c> and the config file's <c>"clusterNodes"</c>; none means one broker.
/// </summary>
internal sealed record ConnectionSettings(Uri RabbitMqUrl, string Source, BrokerTlsOptions Tls)
{
    public const string EnvironmentVariable = "RABBITMQ_URL";
    public const string ClusterEnvironmentVariable = "RABBITMQ_CLUSTER_NODES";

    /// <summary>host:port,… of the cluster's nodes, checked; null for one broker.</summary>
    public string? ClusterNodes { get; init; }
    public const string ConfigEnvironmentVariable = "ERT_CONFIG";
    public static readonly Uri DefaultUrl = new("amqp://guest:guest@127.0.0.1:5672/");

    public static ConnectionSettings Resolve(string? flag, string? configPath, IDictionary environment, string? clusterFlag = null)
    {
        var explicitFile = configPath ?? environment[ConfigEnvironmentVariable] as string;
        var file = string.IsNullOrWhiteSpace(explicitFile) ? ConfigFile.DefaultPath(environment) : explicitFile;
        var (fromFile, tls, nodesFromFile) = ConfigFile.Read(file, mustExist: !string.IsNullOrWhiteSpace(explicitFile));
        return ResolveUrl(flag, environment, file, fromFile, tls) with { ClusterNodes = ResolveNodes(clusterFlag, environment, file, nodesFromFile) };
    }

    private static string? ResolveNodes(string? flag, IDictionary environment, string file, string? fromFile)
    {
        var (nodes, source) = !string.IsNullOrWhiteSpace(flag) ? (flag, "--cluster-nodes")
            : environment[ClusterEnvironmentVariable] is string fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment) ? (fromEnvironment, ClusterEnvironmentVariable)
            : (fromFile, file + " (clusterNodes)");
        return Broker.Cluster.BrokerNodes.Problem(nodes, source) is { } problem ? throw new UsageException(problem) : nodes;
    }

    private static ConnectionSettings ResolveUrl(string? flag, IDictionary environment, string file, string? fromFile, BrokerTlsOptions tls)
    {
        if (!string.IsNullOrWhiteSpace(flag))
        {
            return new ConnectionSettings(Parse(flag, "--rabbitmq"), "--rabbitmq", tls);
        }

        if (environment[EnvironmentVariable] is string fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new ConnectionSettings(Parse(fromEnvironment, EnvironmentVariable), EnvironmentVariable, tls);
        }

        return fromFile is null
            ? new ConnectionSettings(DefaultUrl, "default", tls)
            : new ConnectionSettings(Parse(fromFile, file + " (rabbitmq)"), file, tls);
    }

    private static Uri Parse(string value, string source)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url))
        {
            throw new UsageException($"{source}: '{value}' is not a URL (expected amqp://user:password@host:port/vhost)");
        }

        var problem = Client.BrokerAddress.Problem(url);
        return problem is null ? url : throw new UsageException($"{source}: {Client.BrokerAddress.Describe(url)} cannot be used: {problem}");
    }
}
