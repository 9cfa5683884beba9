using EventRuntime.Node.Runtime;

namespace EventRuntime.Node.Containers;

/// <summary>What became of a container's conmon, as <c>eventruntime-node list</c> shows it.</summary>
public static class MonitorState
{
    public const string Running = "running";
    public const string Exited = "exited";
    public const string Died = "died";
    public const string None = "none";

    /// <summary>
    /// <see cref="Running"/> while conmon lives; <see cref="Exited"/> once it has written the exit file and gone;
    /// <see cref="Died"/> when it is gone without one (the exit code is lost); <see cref="None"/> for a container
    /// created before the node ran containers under conmon.
    /// </summary>
    public static string Of(ContainerRecord record) => record switch
    {
        { Monitor: null } or { ExitFile: null } => None,
        { Monitor: var monitor } when monitor.IsAlive() => Running,
        { ExitFile: var exitFile } when ExitFile.TryRead(exitFile) is not null => Exited,
        _ => Died,
    };
}
