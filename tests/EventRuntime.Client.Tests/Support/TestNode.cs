using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventRuntime.Client.Tests.Support;

/// <summary>
/// One node on the real broker for the client and ert to talk to: a runc sandbox with real containers and an
/// in-process agent (heartbeat every second, so listeners need not wait long).
/// </summary>
internal sealed class TestNode : IAsyncDisposable
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);

    private TestNode(RabbitMqBroker broker, RuncSandbox sandbox, NodeAgent agent)
    {
        Broker = broker;
        Sandbox = sandbox;
        Agent = agent;
    }

    public RabbitMqBroker Broker { get; }

    public RuncSandbox Sandbox { get; }

    public NodeAgent Agent { get; }

    public string Name => Agent.Name;

    /// <summary>--rabbitmq and the broker's URL, to put after ert's own arguments.</summary>
    public string[] Connection => ["--rabbitmq", Broker.AmqpUri.ToString()];

    /// <summary>
    /// A container id unique to this node. runc names a container's cgroup after its id, so two
    /// sandboxes (another test run on the same machine) starting "web" at once would share one.
    /// </summary>
    public string Id(string name) => $"{name}-{Name[5..]}";

    /// <param name="broker">The broker.</param>
    /// <param name="settings">Agent settings over the test defaults.</param>
    /// <param name="witness">Watches the agent's stops in its runtime (<see cref="StopWitness"/>), when given.</param>
    public static async Task<TestNode> StartAsync(RabbitMqBroker broker, IReadOnlyDictionary<string, string?>? settings = null, StopWitness? witness = null)
    {
        var sandbox = new RuncSandbox();
        var name = "node-" + Guid.NewGuid().ToString("N")[..8];
        var configuration = new Dictionary<string, string?> { ["Node:HeartbeatInterval"] = HeartbeatInterval.ToString() };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var agent = await NodeAgent.StartAsync(name, sandbox, broker.AmqpUri, configuration, witness is null ? null : services =>
            services.AddSingleton(sp => witness.Watch(new RuncRuntime(sp.GetRequiredService<IOptions<RuntimeOptions>>().Value))));
        return new TestNode(broker, sandbox, agent);
    }

    /// <summary>Starts containers that exit on SIGTERM.</summary>
    public async Task StartContainersAsync(params string[] ids)
    {
        foreach (var id in ids)
        {
            await Sandbox.StartAsync(id, BusyboxRootfs.TrapsTerm);
        }
    }

    public async Task<bool> IsStoppedAsync(string id) => (await Sandbox.StateAsync(id)).IsStopped;

    /// <summary>A client of this node's broker; dispose it.</summary>
    public EventRuntimeClient Client(TimeSpan? outcomeWaitMargin = null, ClientTransport transport = ClientTransport.Bus) => new(new EventRuntimeClientOptions
    {
        RabbitMqUrl = Broker.AmqpUri,
        Transport = transport,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        OutcomeWaitMargin = outcomeWaitMargin ?? TimeSpan.FromSeconds(60),
    });

    /// <summary>Runs ert against this node's broker.</summary>
    public Task<ProcessRun> ErtAsync(params string[] arguments) => Ert.RunAsync([.. arguments, .. Connection]);

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
