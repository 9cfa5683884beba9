using EventRuntime.Node;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventRuntime.TestSupport;

/// <summary>A node agent running in this process on a <see cref="RuncSandbox"/>, wired exactly as the executable wires it.</summary>
public sealed class NodeAgent : IAsyncDisposable
{
    private readonly IHost host;
    private int disposed;

    private NodeAgent(IHost host, string name)
    {
        this.host = host;
        Name = name;
    }

    public string Name { get; }

    public IServiceProvider Services => host.Services;

    /// <param name="name">The node's name.</param>
    /// <param name="sandbox">Where its containers, runtime root and state live.</param>
    /// <param name="broker">The broker.</param>
    /// <param name="settings">Settings over the defaults.</param>
    /// <param name="replaceServices">Runs after the agent's own registrations, e.g. to put a stand-in runtime in place.</param>
    public static Task<NodeAgent> StartAsync(
        string name, RuncSandbox sandbox, Uri broker, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? replaceServices = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Runtime:Path"] = sandbox.RuntimeOptions.Path,
            ["Runtime:Root"] = sandbox.RuntimeOptions.Root,
            ["Runtime:Runsc:Path"] = sandbox.RuntimeOptions.Runsc.Path,
            ["Runtime:Runsc:Root"] = sandbox.RuntimeOptions.Runsc.Root,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        return StartAsync(name, sandbox.Paths.StateDirectory, broker, configuration, replaceServices);
    }

    /// <summary>
    /// An agent with only a state directory, for stand-in runtimes that never call runc: a
    /// <see cref="RuncSandbox"/> per agent (with its busybox root) is too heavy for a thousand of them.
    /// </summary>
    public static async Task<NodeAgent> StartAsync(
        string name, string stateDirectory, Uri broker, IReadOnlyDictionary<string, string?>? settings,
        Action<IServiceCollection>? replaceServices)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Node:Name"] = name,
            ["Node:StateDirectory"] = stateDirectory,
            ["RabbitMq:Url"] = broker.ToString(),
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        // Each host would watch appsettings.json with its own inotify instance, and Linux allows 128 per user
        // (fs.inotify.max_user_instances): the 113th agent in one process failed to start. An agent executable
        // is one host per process, so this changes nothing that a node runs.
        var builder = NodeAgentHost.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false"], configuration);
        builder.Services.AddNodeAgent(builder.Configuration);
        replaceServices?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<IBusControl>();
        var health = await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        if (health != BusHealthStatus.Healthy)
        {
            await host.StopAsync();
            throw new InvalidOperationException($"node agent {name} did not connect to {broker.Host}:{broker.Port}: {health}");
        }

        return new NodeAgent(host, name);
    }

    /// <summary>Stops the agent as its host does at SIGTERM, with <paramref name="within"/> as the host's shutdown deadline.</summary>
    public Task StopAsync(TimeSpan within) => host.StopAsync(within);

    public async ValueTask DisposeAsync()
    {
        // A test may dispose its agent early (to flush its logs) and again with its scenario.
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await host.StopAsync(TimeSpan.FromSeconds(30));
        host.Dispose();
    }
}
