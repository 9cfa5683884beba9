using EventRuntime.Node.Containers;

namespace EventRuntime.Node.Stopping;

/// <summary>How a stop learns that a container's init has exited.</summary>
internal interface IExitWatch
{
    /// <summary>Waits until the init has exited; false when <paramref name="deadline"/> passes first, even if it moves earlier meanwhile.</summary>
    Task<bool> WaitForExitAsync(GraceDeadline deadline, CancellationToken cancellationToken);
}

internal static class ExitWatch
{
    /// <summary>
    /// The exit file of the container's conmon when it has one; containers created before the node ran
    /// them under conmon are watched through /proc, as before.
    /// </summary>
    public static IExitWatch For(ContainerRecord container, int pid) =>
        container is { Monitor: { } monitor, ExitFile: { } exitFile }
            ? new MonitorExitWatch(exitFile, monitor, pid)
            : new ProcessExitWatch(pid);
}
