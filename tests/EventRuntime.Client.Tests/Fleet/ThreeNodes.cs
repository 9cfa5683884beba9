using EventRuntime.Client.Tests.Support;
using EventRuntime.TestSupport;

namespace EventRuntime.Client.Tests.Fleet;

/// <summary>Three agents on one broker, each on its own runc sandbox, in name order; one <see cref="StopWitness"/> watches all their stops.</summary>
internal sealed class ThreeNodes : IAsyncDisposable
{
    private ThreeNodes(IReadOnlyList<TestNode> nodes, StopWitness witness)
    {
        Nodes = nodes;
        Witness = witness;
    }

    public IReadOnlyList<TestNode> Nodes { get; }

    public StopWitness Witness { get; }

    public TestNode this[int index] => Nodes[index];

    /// <summary>--node a,b,c: the three by name.</summary>
    public string NodeList => string.Join(",", Nodes.Select(node => node.Name));

    public static async Task<ThreeNodes> StartAsync(RabbitMqBroker broker)
    {
        var witness = new StopWitness();
        var nodes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => TestNode.StartAsync(broker, witness: witness)));
        return new ThreeNodes([.. nodes.OrderBy(node => node.Name, StringComparer.Ordinal)], witness);
    }

    /// <summary>Starts a container labelled with <paramref name="labels"/> (<c>app=web,tier=front</c>) on node <paramref name="index"/>; returns its id.</summary>
    public async Task<string> StartAsync(int index, string name, string labels, string[]? command = null)
    {
        var node = Nodes[index];
        var id = node.Id(name);
        var pairs = labels.Split(',', StringSplitOptions.RemoveEmptyEntries);
        await node.Sandbox.StartAsync(id, command ?? BusyboxRootfs.TrapsTerm, labels: EventRuntime.Contracts.Labels.Parse(pairs));
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}
