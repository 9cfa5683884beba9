namespace EventRuntime.Node.Runtime;

/// <summary>
/// An OCI runtime (runc, or anything with runc's command-line shape). Each call is bounded by the
/// runtime's command timeout and by the caller's token; failures are <see cref="RuntimeException"/>s.
/// </summary>
public interface IOciRuntime
{
    /// <summary>Name for messages and logs, e.g. "runc".</summary>
    string Name { get; }

    Task<RuntimeState> StateAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Sends <paramref name="signal"/> to the container's init, or to all its processes when <paramref name="all"/>.</summary>
    Task KillAsync(string containerId, string signal, bool all, CancellationToken cancellationToken);

    Task PauseAsync(string containerId, CancellationToken cancellationToken);

    Task ResumeAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the container from <paramref name="bundle"/> under its monitor (conmon), which keeps its output in
    /// <see cref="MonitorFiles.LogPath"/> and its exit status in <see cref="MonitorFiles.ExitDirectory"/>; returns the monitor.
    /// </summary>
    Task<MonitorProcess> CreateAsync(string containerId, string bundle, MonitorFiles files, CancellationToken cancellationToken);

    /// <summary>Writes the runtime's default config.json into <paramref name="bundle"/> (<c>runc spec</c>).</summary>
    Task WriteDefaultSpecAsync(string bundle, CancellationToken cancellationToken);

    Task StartAsync(string containerId, CancellationToken cancellationToken);

    Task DeleteAsync(string containerId, bool force, CancellationToken cancellationToken);
}
