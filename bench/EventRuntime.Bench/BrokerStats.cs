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
/// Finds the broker's container by the loopback port it publishes (so it works for the bench's own broker
/// and for one given through RABBITMQ_URL) and asks rabbitmqctl. Brokers outside Docker give no snapshot.
/// </summary>
internal sealed class BrokerStats
{
    private readonly string docker = Environment.GetEnvironmentVariable("DOCKER") is { Length: > 0 } d ? d : "docker";
    private readonly string? container;

    private BrokerStats(string? container) => this.container = container;

    /// <summary>The broker's container (short id), or null when the broker is not a local Docker container.</summary>
    public string? Container => container;

    public string? Unavailable => container is null ? "the broker is not a local Docker container: no rabbitmqctl figures" : null;

    public static async Task<BrokerStats> ForAsync(Uri broker)
    {
        var probe = new BrokerStats(null);
        try
        {
            var listing = await Shell.RunAsync(probe.docker, "ps", "--format", "{{.ID}} {{.Ports}}");
            var published = $":{broker.Port}->5672/tcp";
            var line = listing.Split('\n').FirstOrDefault(l => l.Contains(published, StringComparison.Ordinal));
            return new BrokerStats(line?.Split(' ')[0]);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return probe;
        }
    }

    public async Task<BrokerSnapshot?> SnapshotAsync()
    {
        if (container is null)
        {
            return null;
        }

        var queues = await CountAsync("list_queues", "name");
        var connections = await CountAsync("list_connections", "name");
        var channels = await CountAsync("list_channels", "name");
        using var status = JsonDocument.Parse(await CtlAsync("status", "--formatter", "json"));
        var root = status.RootElement;
        var memory = root.GetProperty("memory");
        long Part(string name) => memory.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;
        var connectionBytes = Part("connection_readers") + Part("connection_writers") + Part("connection_channels") + Part("connection_other");
        var descriptors = root.GetProperty("file_descriptors");
        return new BrokerSnapshot(queues, connections, channels,
            memory.GetProperty("total").GetProperty("rss").GetInt64(), Part("queue_procs"), connectionBytes,
            descriptors.GetProperty("sockets_used").GetInt32(), descriptors.GetProperty("sockets_limit").GetInt32(),
            root.GetProperty("processes").GetProperty("used").GetInt32());
    }

    private async Task<int> CountAsync(string list, string column) =>
        (await CtlAsync(list, "-q", "--no-table-headers", column)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    private Task<string> CtlAsync(params string[] arguments) => Shell.RunAsync(docker, ["exec", container!, "rabbitmqctl", .. arguments]);
}
