using System.Collections.Concurrent;
using EventRuntime.Node.Runtime;

namespace EventRuntime.Bench;

/// <summary>A runtime whose containers stop the moment they are signalled, so the bus and the saga are measured, not runc.</summary>
internal sealed class InstantRuntime : IOciRuntime
{
    private readonly ConcurrentDictionary<string, bool> stopped = new(StringComparer.Ordinal);

    public string Name => "instant";

    // Pid 0: the process counts as exited as soon as it is signalled.
    public Task<RuntimeState> StateAsync(string containerId, CancellationToken cancellationToken) =>
        Task.FromResult(new RuntimeState(containerId, stopped.ContainsKey(containerId) ? RuntimeStatus.Stopped : RuntimeStatus.Running, 0, ""));

    public Task KillAsync(string containerId, string signal, bool all, CancellationToken cancellationToken)
    {
        stopped[containerId] = true;
        return Task.CompletedTask;
    }

    public Task PauseAsync(string containerId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ResumeAsync(string containerId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<MonitorProcess> CreateAsync(string containerId, string bundle, MonitorFiles files, CancellationToken cancellationToken) =>
        Task.FromResult(new MonitorProcess(0, 0));

    public Task WriteDefaultSpecAsync(string bundle, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(string containerId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task DeleteAsync(string containerId, bool force, CancellationToken cancellationToken) => Task.CompletedTask;
}
