using EventRuntime.Node;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Runtime;
using EventRuntime.Node.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventRuntime.Testing;

/// <summary>
/// One node agent in this process, wired as the executable wires it (its bus, queues, saga, SQLite store, fleet
/// answers), on a <see cref="SimulatedRuntime"/> instead of runc and with no storage to mount.
/// </summary>
public sealed class SimulatedNode : IAsyncDisposable
{
    private readonly string stateDirectory;
    private readonly ContainerStore store;
    private IHost? host;

    private SimulatedNode(string name, string stateDirectory, IHost host, SimulatedRuntime runtime)
    {
        Name = name;
        this.stateDirectory = stateDirectory;
        this.host = host;
        Runtime = runtime;
        store = new ContainerStore(stateDirectory);
    }

    /// <summary>The node's name: commands for it go to <c>eventruntime-node-&lt;Name&gt;</c>.</summary>
    public string Name { get; }

    /// <summary>Its containers' processes, and the signals each got.</summary>
    public SimulatedRuntime Runtime { get; }

    /// <summary>Whether the agent runs (false after <see cref="StopAgentAsync"/>).</summary>
    public bool IsAgentRunning => host is not null;

    /// <summary>Starts an agent for node <paramref name="name"/> on <paramref name="broker"/>; <paramref name="settings"/> go over the defaults (docs/configuration.md).</summary>
    public static async Task<SimulatedNode> StartAsync(string name, Uri broker, IReadOnlyDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(broker);
        var stateDirectory = Directory.CreateTempSubdirectory("eventruntime-testing-").FullName;
        var runtime = new SimulatedRuntime();
        var configuration = new Dictionary<string, string?>
        {
            ["Node:Name"] = name,
            ["Node:StateDirectory"] = stateDirectory,
            ["RabbitMq:Url"] = broker.ToString(),
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Health:Port"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        // No configuration file watch: each would take one of the user's 128 inotify instances.
        var builder = NodeAgentHost.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false"], configuration);
        builder.Services.AddNodeAgent(builder.Configuration);
        builder.Services.AddSingleton<IOciRuntime>(runtime);
        builder.Services.AddSingleton<IContainerStorage, NoStorage>();
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            var health = await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            if (health != BusHealthStatus.Healthy)
            {
                throw new InvalidOperationException($"failed to start the agent of node {name}: it did not connect to {broker.Host}:{broker.Port} ({health})");
            }
        }
        catch
        {
            await StopQuietlyAsync(host).ConfigureAwait(false);
            runtime.Dispose();
            throw;
        }

        return new SimulatedNode(name, stateDirectory, host, runtime);
    }

    /// <summary>Runs a container on this node with <paramref name="behaviour"/> and <paramref name="labels"/> (<c>"app=web,tier=front"</c>), as <c>eventruntime-node create</c> would.</summary>
    public void Run(string containerId, SimulatedBehaviour behaviour = SimulatedBehaviour.TrapsTerm, string labels = "")
    {
        var parsed = Contracts.Labels.Parse(labels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Runtime.Run(containerId, behaviour);
        store.Save(new ContainerRecord
        {
            Id = containerId,
            InstanceId = Guid.NewGuid().ToString("D"),
            Bundle = "/nonexistent",
            RootfsLower = "/nonexistent",
            RootfsMount = "/nonexistent",
            Runtime = RuntimeCatalog.Runc,
            Labels = parsed,
            Status = behaviour == SimulatedBehaviour.Paused ? ContainerStatus.Paused : ContainerStatus.Running,
            CreatedAt = DateTimeOffset.UtcNow,
            StartedAt = DateTimeOffset.UtcNow,
        });
    }

    /// <summary>Whether the container's process still runs.</summary>
    public bool IsRunning(string containerId) => Runtime.IsRunning(containerId);

    /// <summary>Stops the agent as SIGTERM does (stops in flight finish first); its containers go on running, as on a real node.</summary>
    public async Task StopAgentAsync()
    {
        if (Interlocked.Exchange(ref host, null) is { } running)
        {
            await StopQuietlyAsync(running).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the agent, kills the containers' processes and removes the node's state directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAgentAsync().ConfigureAwait(false);
        Runtime.Dispose();
        try
        {
            Directory.Delete(stateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
    }

    private static async Task StopQuietlyAsync(IHost host)
    {
        await host.StopAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        host.Dispose();
    }
}
