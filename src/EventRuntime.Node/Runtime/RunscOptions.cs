namespace EventRuntime.Node.Runtime;

/// <summary>gVisor's runsc, the sandboxed runtime a container may be created with (<c>create --runtime runsc</c>); section "Runtime:Runsc".</summary>
public sealed class RunscOptions
{
    /// <summary>Path or name of the runsc binary (Debian package <c>runsc</c>).</summary>
    public string Path { get; set; } = "runsc";

    /// <summary>
    /// Value of runsc's <c>--root</c>: where it keeps its containers' state, apart from runc's. One per agent. Unset, it is
    /// <c>runsc</c> next to <c>Runtime:Root</c> (<c>/run/eventruntime/runsc</c> by default), so that <c>--runtime-root</c>
    /// moves both and a node's verbs and agent always agree.
    /// </summary>
    public string? Root { get; set; }

    /// <summary>runsc's network mode. The default, <c>none</c>, is the one that runs here: with a network runsc refuses
    /// to start in the host's network namespace ("cannot run with network enabled in root network namespace").</summary>
    public string Network { get; set; } = "none";

    /// <summary>runsc's root: <see cref="Root"/>, or <c>runsc</c> beside <paramref name="runcRoot"/>.</summary>
    public string RootBeside(string runcRoot) =>
        string.IsNullOrEmpty(Root) ? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(runcRoot)) ?? "/", "runsc") : Root;

    /// <summary>The runtime options of runsc: its own state, so status always comes from its <c>state</c> command.</summary>
    public RuntimeOptions ToRuntimeOptions(RuntimeOptions runc) => new()
    {
        Path = Path,
        Root = RootBeside(runc.Root),
        MonitorPath = runc.MonitorPath,
        CommandTimeout = runc.CommandTimeout,
        StatusSource = RuntimeStatusSource.Command,
        RecordsTelemetry = runc.RecordsTelemetry,
        GlobalArguments = ["--network=" + Network],
    };
}
