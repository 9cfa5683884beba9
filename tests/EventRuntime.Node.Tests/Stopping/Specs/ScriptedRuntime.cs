using System.Collections.Concurrent;
using EventRuntime.Node.Runtime;

namespace EventRuntime.Node.Tests.Stopping.Specs;

/// <summary>How a scripted container answers its stop signal.</summary>
public enum ScriptedBehaviour
{
    /// <summary>Exits on the stop signal.</summary>
    StopsOnTerm,

    /// <summary>Runs on after the stop signal; only SIGKILL ends it (its process is one that outlives the stop, so the grace period runs).</summary>
    IgnoresTerm,

    Paused,

    AlreadyStopped,

    /// <summary>Every call about it throws, as a runtime client broken in an unexpected way would.</summary>
    Broken,
}

/// <summary>
/// A runtime in memory for the state machine's specs: containers play a <see cref="ScriptedBehaviour"/>, and
/// every call is recorded as "VERB args" like <see cref="TestSupport.RecordingRuntime"/> records runc's.
/// </summary>
public sealed class ScriptedRuntime : IOciRuntime
{
    public const string BrokenReason = "the runtime client broke (scripted)";

    private readonly ConcurrentDictionary<string, RuntimeStatus> status = new();
    private readonly ConcurrentDictionary<string, ScriptedBehaviour> behaviours = new();
    private readonly ConcurrentQueue<string> calls = new();

    public string Name => "scripted";

    public IReadOnlyList<string> Calls => [.. calls];

    public IReadOnlyList<string> CallsOf(string verb) => [.. calls.Where(c => c.StartsWith(verb + " ", StringComparison.Ordinal))];

    public void Add(string containerId, ScriptedBehaviour behaviour)
    {
        behaviours[containerId] = behaviour;
        status[containerId] = behaviour switch
        {
            ScriptedBehaviour.Paused => RuntimeStatus.Paused,
            ScriptedBehaviour.AlreadyStopped => RuntimeStatus.Stopped,
            _ => RuntimeStatus.Running,
        };
    }

    public Task<RuntimeState> StateAsync(string containerId, CancellationToken cancellationToken)
    {
        Record($"state {containerId}");
        var current = Known(containerId);
        // A TERM-ignoring container's process is this test process: alive, so the stop's exit watch waits its grace period.
        var pid = current == RuntimeStatus.Stopped ? 0 : behaviours[containerId] == ScriptedBehaviour.IgnoresTerm ? Environment.ProcessId : 0;
        return Task.FromResult(new RuntimeState(containerId, current, pid, "/bundles/" + containerId));
    }

    public Task KillAsync(string containerId, string signal, bool all, CancellationToken cancellationToken)
    {
        Record($"kill {(all ? "--all " : "")}{containerId} {signal}");
        if (Known(containerId) == RuntimeStatus.Stopped)
        {
            throw new RuntimeException(RuntimeErrorKind.NotRunning, $"kill {containerId}: container not running");
        }

        if (signal == "SIGKILL" || behaviours[containerId] == ScriptedBehaviour.StopsOnTerm)
        {
            status[containerId] = RuntimeStatus.Stopped;
        }

        return Task.CompletedTask;
    }

    public Task PauseAsync(string containerId, CancellationToken cancellationToken) => Set(containerId, "pause", RuntimeStatus.Paused);

    public Task ResumeAsync(string containerId, CancellationToken cancellationToken) => Set(containerId, "resume", RuntimeStatus.Running);

    public Task<MonitorProcess> CreateAsync(string containerId, string bundle, MonitorFiles files, CancellationToken cancellationToken) => throw Unscripted("create");

    public Task WriteDefaultSpecAsync(string bundle, CancellationToken cancellationToken) => throw Unscripted("spec");

    public Task StartAsync(string containerId, CancellationToken cancellationToken) => throw Unscripted("start");

    public Task DeleteAsync(string containerId, bool force, CancellationToken cancellationToken) => throw Unscripted("delete");

    private Task Set(string containerId, string verb, RuntimeStatus next)
    {
        Record($"{verb} {containerId}");
        Known(containerId);
        status[containerId] = next;
        return Task.CompletedTask;
    }

    private RuntimeStatus Known(string containerId)
    {
        if (!status.TryGetValue(containerId, out var current))
        {
            throw new RuntimeException(RuntimeErrorKind.NotFound, $"container {containerId} does not exist");
        }

        if (behaviours[containerId] == ScriptedBehaviour.Broken)
        {
            throw new InvalidOperationException(BrokenReason);
        }

        return current;
    }

    private void Record(string call) => calls.Enqueue(call);

    private static NotSupportedException Unscripted(string verb) => new($"the scripted runtime does not {verb} containers");
}
