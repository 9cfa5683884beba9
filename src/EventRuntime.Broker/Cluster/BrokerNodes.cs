using MassTransit;

namespace EventRuntime.Broker.Cluster;

/// <summary>
/// The nodes of a RabbitMQ cluster that a connection may use, as <c>host:port</c>, in the order they are tried.
/// MassTransit connects to them round robin (<c>UseCluster</c>): when the node in use goes away, the next
/// connection attempt goes to the next node. The URL still gives user, password, virtual host and scheme.
/// </summary>
public sealed class BrokerNodes
{
    private BrokerNodes(IReadOnlyList<string> nodes) => Nodes = nodes;

    /// <summary>host:port of each node.</summary>
    public IReadOnlyList<string> Nodes { get; }

    /// <summary>
    /// The nodes of a comma-separated <paramref name="list"/> (<c>rmq1:5672,rmq2:5672,rmq3:5672</c>); null when it is empty
    /// (one broker, the URL's host). Throws <see cref="FormatException"/> naming <paramref name="setting"/> and the entry.
    /// </summary>
    public static BrokerNodes? Parse(string? list, string setting)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            return null;
        }

        var nodes = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var node in nodes)
        {
            if (ProblemOf(node) is { } problem)
            {
                throw new FormatException($"{setting}: node \"{node}\" {problem} (expected host:port[,host:port...])");
            }
        }

        return nodes.Length == 0 ? null : new BrokerNodes(nodes);
    }

    /// <summary>Why <paramref name="list"/> cannot be used, as one line naming <paramref name="setting"/>; null when it can.</summary>
    public static string? Problem(string? list, string setting)
    {
        try
        {
            _ = Parse(list, setting);
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }

    /// <summary>Lets MassTransit's connection cycle through the nodes on every (re)connect.</summary>
    public void Apply(IRabbitMqHostConfigurator host)
    {
        ArgumentNullException.ThrowIfNull(host);
        host.UseCluster(cluster =>
        {
            foreach (var node in Nodes)
            {
                cluster.Node(node);
            }
        });
    }

    /// <summary><paramref name="url"/> once per node, with that node's host and port: what a plain AMQP client tries in turn.</summary>
    public IReadOnlyList<Uri> UrlsFor(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return [.. Nodes.Select(node =>
        {
            var colon = node.LastIndexOf(':');
            return new UriBuilder(url) { Host = node[..colon].Trim('[', ']'), Port = int.Parse(node.AsSpan(colon + 1)) }.Uri;
        })];
    }

    /// <summary>
    /// The same nodes, tried from <paramref name="index"/> on. MassTransit tries one node per connection attempt and waits
    /// a second or more between attempts: a client that knows which node answered starts there.
    /// </summary>
    public BrokerNodes StartingAt(int index) => new([.. Nodes.Skip(index), .. Nodes.Take(index)]);

    /// <summary>For messages: the node list as configured.</summary>
    public override string ToString() => string.Join(',', Nodes);

    private static string? ProblemOf(string node)
    {
        var colon = node.LastIndexOf(':');
        if (colon <= 0 || colon == node.Length - 1)
        {
            return "is not host:port";
        }

        if (!int.TryParse(node.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
        {
            return "has no port between 1 and 65535";
        }

        return Uri.CheckHostName(node[..colon]) == UriHostNameType.Unknown ? "names no valid host" : null;
    }
}
