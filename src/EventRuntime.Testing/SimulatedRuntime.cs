using System.Collections.Concurrent;
using EventRuntime.Node.Runtime;

namespace EventRuntime.Testing;

/// <summary>
/// An <see cref="IOciRuntime"/> whose containers are host processes (<see cref="HostProcess"/>): the agent signals
/// them, watches them exit through /proc, and reads their state here, exactly as it does with runc. Paused is a
/// flag with the process stopped (SIGSTOP); a container this runtime was never given is unknown to it.
/// </summary>
public sealed class SimulatedRuntime : IOciRuntime, IDisposable
{
    private readonly ConcurrentDictionary<string, SimulatedContainer> containers = new(StringComparer.Ordinal);

    /// <summary>How long a <see cref="SimulatedBehaviour.SlowToReportStopped"/> container is still reported running after it exited.</summary>
    public TimeSpan ReportLag { get; init; } = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public string Name => "simulated";

    /// <summary>Starts a container's process; its state is "running", or "paused" for <see cref="SimulatedBehaviour.Paused"/>.</summary>
    public void Run(string containerId, SimulatedBehaviour behaviour)
    {
        var process = HostProcess.Start(trapsTerm: behaviour != SimulatedBehaviour.IgnoresTerm);
        var container = new SimulatedContainer(process, behaviour);
        if (!containers.TryAdd(containerId, container))
        {
            process.Dispose();
            throw new InvalidOperationException($"container {containerId} already runs on this simulated runtime");
        }

        if (behaviour == SimulatedBehaviour.Paused)
        {
            process.Signal(HostProcess.SigStop, all: true);
            container.IsPaused = true;
        }
    }

    /// <summary>Whether the container's process still runs (a stopped one has exited).</summary>
    public bool IsRunning(string containerId) => containers.TryGetValue(containerId, out var container) && !container.Process.HasExited;

    /// <summary>The signals the agent sent the container, in order ("SIGTERM", "SIGKILL").</summary>
    public IReadOnlyList<string> SignalsOf(string containerId) => containers.TryGetValue(containerId, out var container) ? [.. container.Signals] : [];

    /// <inheritdoc />
    public Task<RuntimeState> StateAsync(string containerId, CancellationToken cancellationToken)
    {
        var container = Find(containerId);
        if (container.Process.HasExited)
        {
            // The lag counts from the first time the runtime is asked after the exit, as a VM's teardown starts then.
            container.ExitSeen ??= DateTime.UtcNow;
        }

        var status = container switch
        {
            { IsPaused: true } => RuntimeStatus.Paused,
            { Process.HasExited: false } => RuntimeStatus.Running,
            { Behaviour: SimulatedBehaviour.SlowToReportStopped, ExitSeen: { } seen } when DateTime.UtcNow - seen < ReportLag => RuntimeStatus.Running,
            _ => RuntimeStatus.Stopped,
        };

        return Task.FromResult(new RuntimeState(containerId, status, status == RuntimeStatus.Stopped ? 0 : container.Process.Pid, ""));
    }

    /// <inheritdoc />
    public Task KillAsync(string containerId, string signal, bool all, CancellationToken cancellationToken)
    {
        var container = Find(containerId);
        if (container.Process.HasExited)
        {
            throw new RuntimeException(RuntimeErrorKind.NotRunning, $"container {containerId} is not running");
        }

        var name = Signals.Normalize(signal);
        container.Signals.Enqueue(name);
        container.Process.Signal(name == Signals.Kill ? HostProcess.SigKill : SignalNumber(name), all);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task PauseAsync(string containerId, CancellationToken cancellationToken)
    {
        var container = Find(containerId);
        container.Process.Signal(HostProcess.SigStop, all: true);
        container.IsPaused = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ResumeAsync(string containerId, CancellationToken cancellationToken)
    {
        var container = Find(containerId);
        container.IsPaused = false;
        container.Process.Signal(HostProcess.SigCont, all: true);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<MonitorProcess> CreateAsync(string containerId, string bundle, MonitorFiles files, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the simulated runtime runs containers through SimulatedNode.RunAsync, not create");

    /// <inheritdoc />
    public Task WriteDefaultSpecAsync(string bundle, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(string containerId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task DeleteAsync(string containerId, bool force, CancellationToken cancellationToken)
    {
        if (containers.TryRemove(containerId, out var container))
        {
            container.Process.Dispose();
        }

        return Task.CompletedTask;
    }

    /// <summary>Kills every process this runtime started.</summary>
    public void Dispose()
    {
        foreach (var container in containers.Values)
        {
            container.Process.Dispose();
        }

        containers.Clear();
    }

    private SimulatedContainer Find(string containerId) =>
        containers.TryGetValue(containerId, out var container)
            ? container
            : throw new RuntimeException(RuntimeErrorKind.NotFound, $"container {containerId} does not exist");

    private static int SignalNumber(string name) => name switch
    {
        Signals.Term => 15,
        "SIGINT" => 2,
        "SIGQUIT" => 3,
        "SIGHUP" => 1,
        "SIGUSR1" => 10,
        "SIGUSR2" => 12,
        _ => 15,
    };

    private sealed class SimulatedContainer(HostProcess process, SimulatedBehaviour behaviour)
    {
        public HostProcess Process { get; } = process;

        public SimulatedBehaviour Behaviour { get; } = behaviour;

        public ConcurrentQueue<string> Signals { get; } = new();

        public volatile bool IsPaused;

        public DateTime? ExitSeen { get; set; }
    }
}
