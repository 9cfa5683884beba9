using System.Collections.Concurrent;
using System.Diagnostics;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Runtime;
using EventRuntime.Node.Storage;
using EventRuntime.Testing;
using EventRuntime.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace EventRuntime.Bench;

/// <summary>
/// Node agents hosted in this process, each wired exactly as the executable wires it (its own host, bus,
/// connection, saga and SQLite saga store in its own state directory) except for the instant runtime and
/// no storage. Started and stopped in parallel, at most <c>concurrency</c> at a time, so that a thousand
/// connection handshakes and queue declarations do not all hit the broker in the same instant.
/// </summary>
internal sealed class AgentFleet(BrokerPlacement placement, int concurrency, IReadOnlyDictionary<string, string?> settings) : IAsyncDisposable
{
    private readonly ConcurrentBag<NodeAgent> agents = [];
    private readonly string root = Directory.CreateTempSubdirectory("eventruntime-fleet-").FullName;

    public int Count => agents.Count;

    /// <summary>Writes each node's container records, then starts its agent; the first failure stops the start of the rest.</summary>
    /// <returns>Null when every agent started, else the failure.</returns>
    /// <param name="containersByNode">The containers of each node.</param>
    /// <param name="progress">Called with the number of agents started so far.</param>
    /// <param name="labelsOf">The labels of a container, by its id; none when null.</param>
    public async Task<Exception?> StartAsync(
        IReadOnlyDictionary<string, IReadOnlyList<string>> containersByNode, Action<int>? progress = null, Func<string, IReadOnlyDictionary<string, string>>? labelsOf = null)
    {
        try
        {
            await Parallel.ForEachAsync(containersByNode.Select((node, index) => (node, index)), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (each, cancellationToken) =>
            {
                var (node, index) = each;
                var state = Path.Combine(root, node.Key);
                WriteRecords(state, node.Value, labelsOf);
                var (broker, agentSettings) = placement.ForAgent(index, settings);
                var agent = await NodeAgent.StartAsync(node.Key, state, broker, agentSettings, services =>
                {
                    services.AddSingleton<IOciRuntime, InstantRuntime>();
                    services.AddSingleton<IContainerStorage, NoStorage>();
                }).WaitAsync(cancellationToken);
                agents.Add(agent);
                progress?.Invoke(agents.Count);
            });
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>Stops every agent (each drains its in-flight stops first, as on SIGTERM).</summary>
    /// <returns>How long it took and the agents that did not stop cleanly.</returns>
    public async Task<(TimeSpan Elapsed, IReadOnlyList<string> Failures)> StopAllAsync()
    {
        var clock = Stopwatch.StartNew();
        var failures = new ConcurrentBag<string>();
        var stopping = new List<NodeAgent>();
        while (agents.TryTake(out var agent))
        {
            stopping.Add(agent);
        }

        await Parallel.ForEachAsync(stopping, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (agent, _) =>
        {
            try
            {
                await agent.DisposeAsync();
            }
            catch (Exception e)
            {
                failures.Add($"{agent.Name}: {e.GetType().Name}: {e.Message}");
            }
        });
        return (clock.Elapsed, failures.ToList());
    }

    public async ValueTask DisposeAsync()
    {
        await StopAllAsync();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void WriteRecords(string stateDirectory, IReadOnlyList<string> containers, Func<string, IReadOnlyDictionary<string, string>>? labelsOf)
    {
        var store = new ContainerStore(stateDirectory);
        foreach (var id in containers)
        {
            store.Save(new ContainerRecord
            {
                Id = id, Bundle = "/nonexistent", RootfsLower = "/nonexistent", RootfsMount = "/nonexistent", Runtime = "instant",
                Status = ContainerStatus.Running, CreatedAt = DateTimeOffset.UtcNow, Labels = labelsOf?.Invoke(id) ?? new Dictionary<string, string>(),
            });
        }
    }
}
