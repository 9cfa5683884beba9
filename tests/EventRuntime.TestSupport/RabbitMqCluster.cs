using System.Diagnostics;
using System.Security.Cryptography;
using Xunit;

namespace EventRuntime.TestSupport;

/// <summary>
/// Three RabbitMQ nodes of the local image formed into one cluster, on a docker network of their own, for
/// the tests (and the bench) that lose a broker node. Driven with the docker CLI: the nodes need fixed host
/// names, network aliases and a shared Erlang cookie, and each keeps its AMQP port on 127.0.0.1 across a
/// <see cref="KillAsync"/> and <see cref="StartAsync(int)"/>, so clients find it again. Every container and the
/// network carry this cluster's own prefix: nothing else on the docker host is touched. A missing docker fails.
/// </summary>
public sealed class RabbitMqCluster : IAsyncLifetime
{
    public const int Size = 3;

    /// <summary>
    /// How the nodes treat a network partition (docs/scaling.md says why): the side with fewer than half the
    /// nodes pauses, so it can never accept what the majority does not see.
    /// </summary>
    public const string PartitionHandling = "pause_minority";

    private static readonly TimeSpan BootDeadline = TimeSpan.FromSeconds(120);
    private readonly string prefix = "ert17-rmq-" + Guid.NewGuid().ToString("N")[..8];
    private readonly int[] ports = [LoopbackPort.Free(), LoopbackPort.Free(), LoopbackPort.Free()];
    private readonly string cookie = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private string? configDirectory;
    private bool networkCreated;

    /// <summary>Raises each node's open-file limit, as <see cref="RabbitMqBroker.FileDescriptors"/> does for one broker; null keeps the image's.</summary>
    public int? FileDescriptors { get; init; }

    /// <summary>host:port of each node's AMQP listener on 127.0.0.1, in node order (rmq1, rmq2, rmq3).</summary>
    public IReadOnlyList<string> HostPorts => [.. ports.Select(p => $"127.0.0.1:{p}")];

    /// <summary>amqp://user:password@127.0.0.1:port/ of node <paramref name="index"/> (0-based).</summary>
    public Uri NodeUri(int index) => new($"amqp://{RabbitMqBroker.User}:{RabbitMqBroker.Password}@127.0.0.1:{ports[index]}/");

    /// <summary>The first node's URL: what a client starts from before it learns the others from <see cref="HostPorts"/>.</summary>
    public Uri AmqpUri => NodeUri(0);

    /// <summary>How long forming the cluster took (boot of three nodes and two joins).</summary>
    public TimeSpan FormedIn { get; private set; }

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        await DockerAsync("version", "--format", "{{.Server.Version}}");
        configDirectory = Directory.CreateTempSubdirectory("eventruntime-cluster-").FullName;
        var config = Path.Combine(configDirectory, "30-cluster.conf");
        await File.WriteAllTextAsync(config, $"cluster_partition_handling = {PartitionHandling}\n");
        if (FileDescriptors is { } limit)
        {
            await File.WriteAllTextAsync(Path.Combine(configDirectory, "limits.conf"), $"rabbitmq soft nofile {limit}\n");
        }

        await DockerAsync("network", "create", prefix);
        networkCreated = true;
        for (var i = 0; i < Size; i++)
        {
            await DockerAsync([.. RunArguments(i, config)]);
        }

        for (var i = 0; i < Size; i++)
        {
            await AwaitStartupAsync(i);
        }

        for (var i = 1; i < Size; i++)
        {
            await CtlAsync(i, "stop_app");
            await CtlAsync(i, "join_cluster", "rabbit@" + HostName(0));
            await CtlAsync(i, "start_app");
        }

        await CtlAsync(0, "await_online_nodes", Size.ToString(), "--timeout", "120");
        FormedIn = clock.Elapsed;
    }

    /// <summary><c>docker kill</c> of node <paramref name="index"/>: SIGKILL, no goodbye to the others.</summary>
    public Task KillAsync(int index) => DockerAsync("kill", Container(index));

    /// <summary>Starts a killed node again and waits until the cluster counts it among its running nodes.</summary>
    public async Task StartAsync(int index)
    {
        await DockerAsync("start", Container(index));
        await AwaitStartupAsync(index);
        await CtlAsync((index + 1) % Size, "await_online_nodes", Size.ToString(), "--timeout", "120");
    }

    /// <summary>The index of the node that leads quorum queue <paramref name="queue"/> (vhost "/"), asked of a running node.</summary>
    public async Task<int> LeaderOfAsync(string queue, int askNode = 0)
    {
        var output = await CtlAsync(askNode, "-q", "list_queues", "name", "leader", "--no-table-headers");
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var columns = line.Split('\t', StringSplitOptions.TrimEntries);
            if (columns.Length == 2 && columns[0] == queue)
            {
                for (var i = 0; i < Size; i++)
                {
                    if (columns[1] == "rabbit@" + HostName(i))
                    {
                        return i;
                    }
                }

                throw new InvalidOperationException($"queue {queue} is led by {columns[1]}, not a node of cluster {prefix}");
            }
        }

        throw new InvalidOperationException($"queue {queue} is not on cluster {prefix}: {output}");
    }

    /// <summary>rabbitmqctl in node <paramref name="index"/>'s container; its output, or an exception naming the command.</summary>
    public Task<string> CtlAsync(int index, params string[] arguments) => DockerAsync(["exec", Container(index), "rabbitmqctl", .. arguments]);

    /// <summary>Loads a broker definitions file (users, vhosts, queues) into the cluster through node <paramref name="index"/>.</summary>
    public async Task ImportDefinitionsAsync(int index, string path)
    {
        var inside = "/tmp/" + Path.GetFileName(path);
        await DockerAsync("cp", path, $"{Container(index)}:{inside}");
        await CtlAsync(index, "-q", "import_definitions", inside);
    }

    /// <summary>rabbitmq-queues (quorum queue commands) in node <paramref name="index"/>'s container.</summary>
    public Task<string> QueuesAsync(int index, params string[] arguments) => DockerAsync(["exec", Container(index), "rabbitmq-queues", .. arguments]);

    /// <summary>The container of node <paramref name="index"/> (for <c>docker stats</c> and the like).</summary>
    public string Container(int index) => $"{prefix}-{index + 1}";

    public async Task DisposeAsync()
    {
        for (var i = 0; i < Size; i++)
        {
            await ExternalTool.RunAsync(Docker, "rm", "-f", "-v", Container(i));
        }

        if (networkCreated)
        {
            await ExternalTool.RunAsync(Docker, "network", "rm", prefix);
        }

        if (configDirectory is not null)
        {
            Directory.Delete(configDirectory, recursive: true);
        }
    }

    private static string Docker => Environment.GetEnvironmentVariable("DOCKER") is { Length: > 0 } docker ? docker : "docker";

    private static string HostName(int index) => $"rmq{index + 1}";

    private IEnumerable<string> RunArguments(int index, string config)
    {
        string[] run =
        [
            "run", "-d", "--name", Container(index), "--hostname", HostName(index),
            "--network", prefix, "--network-alias", HostName(index),
            "-e", "RABBITMQ_ERLANG_COOKIE=" + cookie,
            "-e", "RABBITMQ_DEFAULT_USER=" + RabbitMqBroker.User, "-e", "RABBITMQ_DEFAULT_PASS=" + RabbitMqBroker.Password,
            "-p", $"127.0.0.1:{ports[index]}:5672",
            "-v", config + ":/etc/rabbitmq/conf.d/30-cluster.conf:ro",
        ];
        string[] limits = FileDescriptors is { } limit
            ? ["--ulimit", $"nofile={limit}:{limit}", "-v", Path.Combine(configDirectory!, "limits.conf") + ":/etc/security/limits.d/eventruntime-rabbitmq.conf:ro"]
            : [];
        return [.. run, .. limits, BrokerContainer.Image];
    }

    // await_startup fails at once while the node's Erlang VM is not up yet, so it is retried.
    private async Task AwaitStartupAsync(int index)
    {
        var deadline = DateTime.UtcNow + BootDeadline;
        while (true)
        {
            var (exitCode, output) = await ExternalTool.RunAsync(Docker, "exec", Container(index), "rabbitmqctl", "-q", "await_startup", "--timeout", "60");
            if (exitCode == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                var (_, logs) = await ExternalTool.RunAsync(Docker, "logs", "--tail", "30", Container(index));
                throw new InvalidOperationException($"RabbitMQ node {Container(index)} did not start within {BootDeadline.TotalSeconds:0} s: {output}\n{logs}");
            }

            await Task.Delay(500);
        }
    }

    private async Task<string> DockerAsync(params string[] arguments)
    {
        var (exitCode, output) = await ExternalTool.RunAsync(Docker, arguments);
        return exitCode == 0
            ? output
            : throw new InvalidOperationException(
                $"docker {string.Join(' ', arguments.Where(a => !a.StartsWith("RABBITMQ_", StringComparison.Ordinal)))} failed ({exitCode}): {output.Trim()}. " +
                "Run infra/ci/setup.sh and source infra/ci/env.sh.");
    }
}
