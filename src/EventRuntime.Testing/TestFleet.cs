using EventRuntime.Client;

namespace EventRuntime.Testing;

/// <summary>
/// A broker and a few simulated nodes for a test: what a control plane's own tests start once and share.
/// <code>
/// await using var fleet = await TestFleet.StartAsync("alpha", "beta");
/// fleet["alpha"].Run("web", SimulatedBehaviour.TrapsTerm, labels: "app=web");
/// var outcome = await fleet.Client.StopAsync("alpha", "web", TimeSpan.FromSeconds(5));
/// </code>
/// </summary>
public sealed class TestFleet : IAsyncDisposable
{
    private readonly Dictionary<string, SimulatedNode> nodes;

    private TestFleet(TestBroker broker, IEnumerable<SimulatedNode> nodes, EventRuntimeClient client)
    {
        Broker = broker;
        this.nodes = nodes.ToDictionary(node => node.Name, StringComparer.Ordinal);
        Client = client;
    }

    /// <summary>The broker every node and the client use.</summary>
    public TestBroker Broker { get; }

    /// <summary>A client of the broker, connected; create more with <see cref="CreateClient"/>.</summary>
    public EventRuntimeClient Client { get; }

    /// <summary>The nodes, by name.</summary>
    public IReadOnlyCollection<SimulatedNode> Nodes => nodes.Values;

    /// <summary>The node named <paramref name="name"/>.</summary>
    public SimulatedNode this[string name] => nodes[name];

    /// <summary>Starts a broker (<see cref="TestBroker"/>) and one agent per name, then connects <see cref="Client"/>.</summary>
    public static async Task<TestFleet> StartAsync(params string[] nodeNames)
    {
        ArgumentNullException.ThrowIfNull(nodeNames);
        var broker = await TestBroker.StartAsync().ConfigureAwait(false);
        var started = new List<SimulatedNode>();
        try
        {
            foreach (var name in nodeNames)
            {
                started.Add(await SimulatedNode.StartAsync(name, broker.AmqpUri).ConfigureAwait(false));
            }

            var client = ClientOf(broker.AmqpUri);
            await client.ConnectAsync().ConfigureAwait(false);
            return new TestFleet(broker, started, client);
        }
        catch
        {
            foreach (var node in started)
            {
                await node.DisposeAsync().ConfigureAwait(false);
            }

            await broker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A new client of this fleet's broker (dispose it), e.g. with options of its own.</summary>
    public EventRuntimeClient CreateClient() => ClientOf(Broker.AmqpUri);

    /// <summary>Stops every agent, kills every simulated container, closes the client and removes the broker.</summary>
    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync().ConfigureAwait(false);
        foreach (var node in nodes.Values)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }

        await Broker.DisposeAsync().ConfigureAwait(false);
    }

    private static EventRuntimeClient ClientOf(Uri broker) => new(new EventRuntimeClientOptions
    {
        RabbitMqUrl = broker,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        OutcomeWaitMargin = TimeSpan.FromSeconds(60),
    });
}
