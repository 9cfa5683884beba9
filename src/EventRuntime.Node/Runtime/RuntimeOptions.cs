namespace EventRuntime.Node.Runtime;

/// <summary>Where the runtime binary is and how long one call may take.</summary>
public sealed class RuntimeOptions
{
    public const string Section = "Runtime";

    /// <summary>Path or name of the runc-compatible binary.</summary>
    public string Path { get; set; } = "runc";

    /// <summary>Value of the runtime's <c>--root</c>: where it keeps container state. One per agent.</summary>
    public string Root { get; set; } = "/run/eventruntime/runc";

    /// <summary>Path or name of conmon, the per-container monitor that creates each container and keeps its stdio and exit status.</summary>
    public string MonitorPath { get; set; } = "conmon";

    /// <summary>How long a single runtime call may run before it is killed.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>gVisor's runsc, for containers created with <c>--runtime runsc</c>.</summary>
    public RunscOptions Runsc { get; set; } = new();

    /// <summary>Global options the runtime gets after <c>--root</c> on every call (runsc: its network mode); not bound from settings.</summary>
    internal IReadOnlyList<string> GlobalArguments { get; init; } = [];

    /// <summary>
    /// Whether each call records its span and duration (NodeTelemetry). Off for the read-only verbs: nothing in their
    /// short process exports telemetry, and creating the meters and the activity source took ~50 ms of a list.
    /// </summary>
    internal bool RecordsTelemetry { get; init; } = true;

    /// <summary>How a container's status is read; see <see cref="RuntimeStatusSource"/>.</summary>
    public RuntimeStatusSource StatusSource { get; set; } = RuntimeStatusSource.Auto;

    /// <summary>Whether status reads go to runc's state file rather than the <c>state</c> command.</summary>
    internal bool ReadsStateFile =>
        StatusSource == RuntimeStatusSource.StateFile
        || (StatusSource == RuntimeStatusSource.Auto && System.IO.Path.GetFileName(Path) == "runc");
}

/// <summary>Where the agent learns a container's status.</summary>
public enum RuntimeStatusSource
{
    /// <summary><see cref="StateFile"/> when the runtime binary is named runc, else <see cref="Command"/>.</summary>
    Auto,

    /// <summary>The runtime's <c>state</c> command: one process per read; the only choice for VM-based runtimes.</summary>
    Command,

    /// <summary>runc's state file, /proc and the cgroup freezer: what <c>runc state</c> itself reads, without starting it.</summary>
    StateFile,
}
