using System.Text.Json;

namespace EventRuntime.Bench;

/// <summary>What the broker holds, read with rabbitmqctl inside the broker's container.</summary>
internal sealed record BrokerSnapshot(int Queues, int Connections, int Channels, long MemoryBytes, long QueueProcessBytes, long ConnectionBytes, int SocketsUsed, int SocketsLimit, int ErlangProcesses)
{
    public static string Header => "| when | queues | connections | channels | broker memory MiB | of which queue processes MiB | of which connections MiB | sockets used / limit | Erlang processes |";

    public string Row(string when) =>
        $"| {when} | {Queues} | {Connections} | {Channels} | {Mib(MemoryBytes)} | {Mib(QueueProcessBytes)} | {Mib(ConnectionBytes)} | {SocketsUsed} / {SocketsLimit} | {ErlangProcesses} |";

    private static string Mib(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Finds each broker node's container by the loopback port it publishes (so it works for the bench's own broker
/// and for one given through RABBITMQ_URL) and asks rabbitmqctl. Brokers outside Docker give no snapshot.
/// </summary>
internal sealed class BrokerStats
{
    private static readonly string Docker = Environment.GetEnvironmentVariable("DOCKER") is { Length: > 0 } d ? d : "docker";
    private readonly IReadOnlyList<string?> containers;

    private BrokerStats(IReadOnlyList<string?> containers) => this.containers = containers;

    /// <summary>The broker's container (short id) when it is one local Docker container, or null.</summary>
    public string? Container => containers.Count == 1 ? containers[0] : null;

    public string? Unavailable => containers.Any(c => c is null) ? "a broker node is not a local Docker container: no rabbitmqctl figures" : null;

    public static async Task<BrokerStats> ForAsync(IReadOnlyList<Uri> nodes)
    {
        try
        {
            var listing = await Shell.RunAsync(Docker, "ps", "--format", "{{.ID}} {{.Ports}}");
            return new BrokerStats([.. nodes.Select(node => listing.Split('\n')
                .FirstOrDefault(l => l.Contains($":{node.Port}->5672/tcp", StringComparison.Ordinal))?.Split(' ')[0])]);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return new BrokerStats([null]);
        }
    }

    /// <summary>One snapshot per node, in node order; null when a node cannot be asked.</summary>
    public async Task<IReadOnlyList<BrokerSnapshot>?> SnapshotAsync()
    {
        if (Unavailable is not null)
        {
            return null;
        }

        var snapshots = new List<BrokerSnapshot>();
        foreach (var container in containers)
        {
            snapshots.Add(await SnapshotAsync(container!));
        }

        return snapshots;
    }

    private async Task<BrokerSnapshot> SnapshotAsync(string container)
    {

        // In a cluster every node lists all queues, connections and channels; memory, sockets and processes are its own.
        var queues = await CountAsync(container, "list_queues", "name");
        var connections = await CountAsync(container, "list_connections", "name");
        var channels = await CountAsync(container, "list_channels", "name");
        // rabbitmqctl in a cluster node warns about RABBITMQ_ERLANG_COOKIE on stdout before the JSON.
        var statusText = await CtlAsync(container, "status", "--formatter", "json");
        using var status = JsonDocument.Parse(statusText[Math.Max(0, statusText.IndexOf('{', StringComparison.Ordinal))..]);
        var root = status.RootElement;
        var memory = root.GetProperty("memory");
        long Part(string name) => memory.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;
        var connectionBytes = Part("connection_readers") + Part("connection_writers") + Part("connection_channels") + Part("connection_other");
        var descriptors = root.GetProperty("file_descriptors");
        return new BrokerSnapshot(queues, connections, channels,
            memory.GetProperty("total").GetProperty("rss").GetInt64(), Part("queue_procs") + Part("quorum_queue_procs"), connectionBytes,
            descriptors.GetProperty("sockets_used").GetInt32(), descriptors.GetProperty("sockets_limit").GetInt32(),
            root.GetProperty("processes").GetProperty("used").GetInt32());
    }

    private static async Task<int> CountAsync(string container, string list, string column) =>
        (await CtlAsync(container, list, "-q", "--no-table-headers", column)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Count(line => !line.Contains("RABBITMQ_ERLANG_COOKIE", StringComparison.Ordinal));

    private static Task<string> CtlAsync(string container, params string[] arguments) => Shell.RunAsync(Docker, ["exec", container, "rabbitmqctl", .. arguments]);
}
