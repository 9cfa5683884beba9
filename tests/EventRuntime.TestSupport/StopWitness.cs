using System.Collections.Concurrent;
using EventRuntime.Node.Runtime;

namespace EventRuntime.TestSupport;

/// <summary>
/// Watches the stops of one or more agents where they happen, in their runtime: a stop is in flight from the agent's
/// first signal to a container until the runtime reports that container stopped. One witness wraps the runtime of
/// every agent it watches, so <see cref="MostAtOnce"/> counts across the fleet, not what a client believes it sent.
/// </summary>
public sealed class StopWitness
{
    private readonly ConcurrentDictionary<string, byte> inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> signalled = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private int mostAtOnce;

    /// <summary>The most stops in flight at the same moment so far.</summary>
    public int MostAtOnce
    {
        get
        {
            lock (gate)
            {
                return mostAtOnce;
            }
        }
    }

    /// <summary>Containers the agents signalled, with how many signals each got.</summary>
    public IReadOnlyDictionary<string, int> Signalled => new Dictionary<string, int>(signalled, StringComparer.Ordinal);

    /// <summary><paramref name="inner"/> with this witness watching its kills and states.</summary>
    public IOciRuntime Watch(IOciRuntime inner) => new WatchedRuntime(inner, this);

    private void OnSignal(string containerId)
    {
        signalled.AddOrUpdate(containerId, 1, (_, count) => count + 1);
        lock (gate)
        {
            if (inFlight.TryAdd(containerId, 0))
            {
                mostAtOnce = Math.Max(mostAtOnce, inFlight.Count);
            }
        }
    }

    private void OnStopped(string containerId)
    {
        lock (gate)
        {
            inFlight.TryRemove(containerId, out _);
        }
    }

    private sealed class WatchedRuntime(IOciRuntime inner, StopWitness witness) : IOciRuntime
    {
        public string Name => inner.Name;

        public async Task<RuntimeState> StateAsync(string containerId, CancellationToken cancellationToken)
        {
            var state = await inner.StateAsync(containerId, cancellationToken);
            if (state.Status == RuntimeStatus.Stopped)
            {
                witness.OnStopped(containerId);
            }

            return state;
        }

        public async Task KillAsync(string containerId, string signal, bool all, CancellationToken cancellationToken)
        {
            witness.OnSignal(containerId);
            await inner.KillAsync(containerId, signal, all, cancellationToken);
        }

        public Task PauseAsync(string containerId, CancellationToken cancellationToken) => inner.PauseAsync(containerId, cancellationToken);

        public Task ResumeAsync(string containerId, CancellationToken cancellationToken) => inner.ResumeAsync(containerId, cancellationToken);

        public Task<MonitorProcess> CreateAsync(string containerId, string bundle, MonitorFiles files, CancellationToken cancellationToken) =>
            inner.CreateAsync(containerId, bundle, files, cancellationToken);

        public Task WriteDefaultSpecAsync(string bundle, CancellationToken cancellationToken) => inner.WriteDefaultSpecAsync(bundle, cancellationToken);

        public Task StartAsync(string containerId, CancellationToken cancellationToken) => inner.StartAsync(containerId, cancellationToken);

        public Task DeleteAsync(string containerId, bool force, CancellationToken cancellationToken) => inner.DeleteAsync(containerId, force, cancellationToken);
    }
}
