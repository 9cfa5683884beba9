using EventRuntime.Node.Containers;
using EventRuntime.Node.Runtime;
using Microsoft.Extensions.Logging;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// The exit code of a stopped container, from its conmon's exit file. Never invented: a container whose
/// conmon died before its init has no exit file, and its code is reported as unknown (null), with a
/// warning that names the container. Containers created before conmon keep what their record says.
/// </summary>
internal sealed class ExitCodeReader(ILogger logger)
{
    // conmon writes the file the moment it has reaped the init; this only covers the gap between the
    // runtime saying "stopped" and that write, for a container that exited on its own.
    private static readonly TimeSpan ExitFileWait = TimeSpan.FromSeconds(2);

    public async Task<int?> ReadAsync(ContainerRecord container, CancellationToken cancellationToken)
    {
        if (container is not { Monitor: { } monitor, ExitFile: { } exitFile })
        {
            return container.ExitCode;
        }

        // Only the file answers here (the init's pid does not matter): wait while conmon lives, briefly.
        await new MonitorExitWatch(exitFile, monitor, pid: 0).WaitForExitFileAsync(GraceDeadline.After(ExitFileWait), cancellationToken).ConfigureAwait(false);

        if (ExitFile.TryRead(exitFile) is { } code)
        {
            return code;
        }

        logger.LogWarning(
            "The exit code of container {ContainerId} is unknown: its monitor conmon (pid {MonitorPid}) {MonitorState} without writing {ExitFile}",
            container.Id, monitor.Pid, monitor.IsAlive() ? "still runs" : "died", exitFile);
        return null;
    }
}
