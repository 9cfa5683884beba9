namespace EventRuntime.Node.Runtime;

/// <summary>
/// Where conmon keeps one container's files: the CRI log of its output, the directory it writes the exit
/// status to (as a file named after the container), the pid files of the container's init and of conmon
/// itself, the runtime's own error log, and the directory of its attach socket.
/// </summary>
public sealed record MonitorFiles(
    string LogPath, string ExitDirectory, string PidFile, string MonitorPidFile, string RuntimeLog, string SocketDirectory)
{
    /// <summary>conmon writes the exit status to <c>EXIT_DIR/ID</c> once the container's init has died.</summary>
    public string ExitFileOf(string containerId) => Path.Combine(ExitDirectory, containerId);
}
